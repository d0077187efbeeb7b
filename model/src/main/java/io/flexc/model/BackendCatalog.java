package io.flexc.model;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The backends an application may name, as the backends module's registry lists them, and the one
 * an application that names none gets. The metadata reader resolves flexc.yaml's {@code backend:}
 * and kraft.yaml's drivers through it, and its help texts list its labels.
 */
public record BackendCatalog(List<Backend> known, Backend byDefault) {

  public BackendCatalog {
    known = List.copyOf(known);
    if (!known.contains(byDefault)) {
      throw new IllegalArgumentException("the default backend " + byDefault.label() + " is not listed");
    }
    Set<String> labels = new HashSet<>();
    Set<String> drivers = new HashSet<>();
    for (Backend backend : known) {
      if (!labels.add(backend.label())) {
        throw new IllegalArgumentException("backend " + backend.label() + " is listed twice");
      }
      backend.kraftDriver().filter(driver -> !drivers.add(driver)).ifPresent(driver -> {
        throw new IllegalArgumentException("kraft driver " + driver + " names two backends");
      });
    }
  }

  public Optional<Backend> byLabel(String label) {
    return known.stream().filter(backend -> backend.label().equals(label)).findFirst();
  }

  public Optional<Backend> byKraftDriver(String driver) {
    return known.stream().filter(backend -> backend.kraftDriver().filter(driver::equals).isPresent()).findFirst();
  }

  /** The labels for help and error texts: "fcall, mpk, ept or proc". */
  public String labels() {
    return orList(known.stream().map(Backend::label).toList());
  }

  /** The kraft.yaml drivers for error texts, in the same order. */
  public String kraftDrivers() {
    return orList(known.stream().flatMap(backend -> backend.kraftDriver().stream()).toList());
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  public static String orList(List<String> words) {
    if (words.size() <= 1) {
      return String.join("", words);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }
}
