package io.flexc.layout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The memory layout of a program, or of one of its images: the compartments it holds, each with a
 * page-aligned section of every {@link SectionKind}, and the sections they share. It is the root of
 * the output model that the backends' and the linker scripts' templates read the names of sections
 * and symbols from, so that the runtime reading a symbol and the script defining it cannot disagree.
 */
public record Layout(List<Integer> compartments) {

  public Layout {
    compartments = List.copyOf(compartments);
    if (new HashSet<>(compartments).size() != compartments.size()) {
      throw new IllegalArgumentException("compartments " + compartments + " repeat one");
    }
  }

  /** A program's layout: compartments 0 to {@code count - 1}. */
  public static Layout of(int count) {
    List<Integer> compartments = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      compartments.add(k);
    }
    return new Layout(compartments);
  }

  /** Every compartment's section of kind {@code kind}, in the order of {@link #compartments}. */
  public List<CompartmentSection> sections(SectionKind kind) {
    return compartments.stream().map(k -> new CompartmentSection(k, kind)).toList();
  }

  /** The sections a runtime protects: each compartment's data and bss, compartment by compartment. */
  public List<CompartmentSection> writable() {
    List<CompartmentSection> sections = new ArrayList<>();
    for (int k : compartments) {
      sections.add(new CompartmentSection(k, SectionKind.DATA));
      sections.add(new CompartmentSection(k, SectionKind.BSS));
    }
    return sections;
  }

  /** Each compartment's code, compartment by compartment: what proc makes unexecutable in the other processes. */
  public List<CompartmentSection> code() {
    return sections(SectionKind.TEXT);
  }

  /** The globals more than one compartment uses. */
  public SharedSection sharedData() {
    return SharedSection.DATA;
  }

  /** ept's gate stubs. */
  public SharedSection sharedText() {
    return SharedSection.TEXT;
  }

  /** The symbol just past a kernel image's last section. */
  public String imageEnd() {
    return "__flexc_image_end";
  }

  /** What every section is aligned to, at both ends: a range of whole pages can take its own protection. */
  public int page() {
    return 4096;
  }
}
