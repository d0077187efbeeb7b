package io.flexc.transformer;

import io.flexc.model.SharedData;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import java.util.Set;

/**
 * Rule: a local pointer handed across a gate holds a buffer the other compartment reads, so the
 * allocation it is assigned ({@code malloc}, {@code calloc}, {@code realloc}) and its frees use
 * the shared heap. So do buffers allocated into the fields of a struct whose address crosses ({@code
 * request.values = malloc(...)}, {@code p->values = ...}): the callee follows those pointers too.
 * And so do buffers allocated into a global that another compartment references, or into its
 * fields ({@code message = strdup-like malloc}, {@code settings.path = malloc(...)}): the global is
 * shared, and the other compartment reads what its pointers hold.
 */
final class SharedAllocationRule {

  private static final Set<String> ALLOCATORS = Set.of("malloc", "calloc", "realloc");

  private final FileRewrite rewrite;

  SharedAllocationRule(FileRewrite rewrite) {
    this.rewrite = rewrite;
  }

  /** {@code name}, a local pointer of {@code function}, crosses: its buffer and its fields' do. */
  void apply(String function, String name) {
    FunctionDefinition definition = rewrite.definition(function);
    if (definition == null || !rewrite.markMoved(function, name)) {
      return;
    }
    for (int i = definition.bodyOpen() + 1; i + 3 < definition.bodyClose(); i++) {
      if (rewrite.token(i).text().equals(name) && rewrite.token(i + 1).is("=")) {
        share(function, i + 2);
      }
      if (rewrite.token(i).is("free") && rewrite.token(i + 1).is("(") && rewrite.token(i + 2).text().equals(name)
          && rewrite.token(i + 3).is(")")) {
        rewrite.edits.replace(rewrite.token(i).offset(), 4, "flexc_shared_free");
      }
    }
    applyToFields(function, name);
  }

  /** The address of {@code name}, a local struct or pointer of {@code function}, crosses: its fields' buffers do. */
  void applyToFields(String function, String name) {
    FunctionDefinition definition = rewrite.definition(function);
    if (definition == null || !rewrite.markMoved(function, name + "->fields")) {
      return;
    }
    for (int i = definition.bodyOpen() + 1; i + 5 < definition.bodyClose(); i++) {
      if (isField(i, name) && rewrite.token(i + 3).is("=")) {
        share(function, i + 4);
      }
      if (rewrite.token(i).is("free") && rewrite.token(i + 1).is("(") && isField(i + 2, name)
          && rewrite.token(i + 5).is(")")) {
        rewrite.edits.replace(rewrite.token(i).offset(), 4, "flexc_shared_free");
      }
    }
  }

  /**
   * Allocations assigned to a global referenced from another compartment, or to its fields, in
   * every function of the file that does not have a local of the global's name. Their frees stay
   * {@code free}: the global may hold a block from elsewhere too, and the runtime's {@code free}
   * takes shared blocks back.
   */
  void applyToGlobalsReferencedAcross() {
    for (FunctionDefinition definition : rewrite.file.functions()) {
      String function = definition.name();
      Set<String> locals = rewrite.file.localNames().getOrDefault(function, Set.of());
      for (int i = definition.bodyOpen() + 1; i + 3 < definition.bodyClose(); i++) {
        String name = rewrite.token(i).text();
        boolean global = rewrite.token(i).kind() == CToken.Kind.IDENTIFIER && !locals.contains(name)
            && !rewrite.token(i - 1).is(".") && !rewrite.token(i - 1).is("->") && rewrite.symbols.isReferencedAcross(name);
        if (!global) {
          continue;
        }
        if (rewrite.token(i + 1).is("=")) {
          share(function, i + 2);
        } else if (isField(i, name) && i + 5 < definition.bodyClose() && rewrite.token(i + 3).is("=")) {
          share(function, i + 4);
        }
      }
    }
  }

  /** {@code name.field} or {@code name->field} starts at token {@code i}. */
  private boolean isField(int i, String name) {
    return rewrite.token(i).text().equals(name) && (rewrite.token(i + 1).is(".") || rewrite.token(i + 1).is("->"))
        && rewrite.token(i + 2).kind() == CToken.Kind.IDENTIFIER;
  }

  /** The allocator called at token {@code index}, if it is one, allocates from the shared heap. */
  private void share(String function, int index) {
    CToken allocator = rewrite.token(index);
    if (ALLOCATORS.contains(allocator.text()) && rewrite.token(index + 1).is("(")) {
      rewrite.edits.replace(allocator.offset(), allocator.text().length(), "flexc_shared_" + allocator.text());
      rewrite.share(new SharedData.Allocation(rewrite.file.path(), allocator.line(), function, allocator.text()));
      rewrite.requireRuntime();
    }
  }
}
