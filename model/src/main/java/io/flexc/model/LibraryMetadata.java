package io.flexc.model;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The safety metadata of one library: what its code may do ({@code [Memory Access]}, {@code
 * [Call]}), what it exports ({@code [API]}) and what it tolerates from co-located libraries ({@code
 * [Requires]}), plus optional facts backends and the solver use ({@code [Role]}, {@code
 * [Verified]}, {@code [Language]}).
 *
 * <p>Only meaning is stored here, not where it was written: two files that say the same thing give
 * equal records. Positions live beside it in a {@link SourceMap}.
 */
public record LibraryMetadata(
    String name,
    Set<MemoryAccess> memoryAccess,
    CallPolicy call,
    List<ApiFunction> api,
    Set<Permission> requires,
    Optional<String> role,
    Optional<String> verifiedWith,
    Optional<String> language) {

  /**
   * The roles a library may have: MPK trusts the scheduler and the allocator, EPT and proc give
   * every compartment a copy of them; app and netstack (as FlexOS's metadata names them) only
   * describe. Any other is refused, since a misspelt role would silently drop a trust rule.
   */
  public static final List<String> ROLES = List.of("scheduler", "allocator", "app", "netstack");

  public LibraryMetadata {
    Names.requireIdentifier(name, "library name");
    memoryAccess = MemoryAccess.closure(memoryAccess);
    Objects.requireNonNull(call, "call");
    api = List.copyOf(api);
    Set<String> symbols = new HashSet<>();
    for (ApiFunction function : api) {
      if (!symbols.add(function.symbol())) {
        throw new IllegalArgumentException("duplicate API symbol " + function.symbol());
      }
    }
    requires = requires.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(requires));
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(verifiedWith, "verifiedWith");
    Objects.requireNonNull(language, "language");
    role.ifPresent(value -> {
      if (!ROLES.contains(value)) {
        throw new IllegalArgumentException("unknown role " + value + "; known: " + ROLES);
      }
    });
    verifiedWith.ifPresent(value -> Names.requireQuotable(value, "verifiedWith"));
    language.ifPresent(value -> Names.requireQuotable(value, "language"));
  }

  /**
   * The metadata FlexOS gives unverified C ({@code RA,WA}, {@code XA}, {@code Requires R,W,X}):
   * what flexc assumes for every section a file leaves out.
   */
  public static LibraryMetadata unverifiedC(String name) {
    return new LibraryMetadata(
        name,
        Set.of(MemoryAccess.READ_ANY, MemoryAccess.WRITE_ANY),
        CallPolicy.unrestricted(),
        List.of(),
        EnumSet.allOf(Permission.class),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** What this library may do to co-located libraries before any hardening. */
  public Set<Behaviour> behaviours() {
    EnumSet<Behaviour> behaviours = EnumSet.noneOf(Behaviour.class);
    if (memoryAccess.contains(MemoryAccess.READ_ANY)) {
      behaviours.add(Behaviour.READ_ANY);
    }
    if (memoryAccess.contains(MemoryAccess.WRITE_ANY)) {
      behaviours.add(Behaviour.WRITE_ANY);
    }
    if (call.anywhere()) {
      behaviours.add(Behaviour.EXECUTE_ANY);
    }
    return Set.copyOf(behaviours);
  }

  public boolean isVerified() {
    return verifiedWith.isPresent();
  }

  public boolean exports(String symbol) {
    return api.stream().anyMatch(function -> function.symbol().equals(symbol));
  }

  public Optional<ApiFunction> apiFunction(String symbol) {
    return api.stream().filter(function -> function.symbol().equals(symbol)).findFirst();
  }
}
