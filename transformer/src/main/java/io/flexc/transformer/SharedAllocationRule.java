package io.flexc.transformer;

import io.flexc.model.SharedData;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.FunctionDefinition;
import java.util.Set;

/**
 * Rule: a local pointer handed across a gate holds a buffer the other compartment reads, so the
 * allocation it is assigned ({@code malloc}, {@code calloc}, {@code realloc}) and its frees use
 * the shared heap.
 */
final class SharedAllocationRule {

  private static final Set<String> ALLOCATORS = Set.of("malloc", "calloc", "realloc");

  private final FileRewrite rewrite;

  SharedAllocationRule(FileRewrite rewrite) {
    this.rewrite = rewrite;
  }

  void apply(String function, String name) {
    FunctionDefinition definition = rewrite.definition(function);
    if (definition == null || !rewrite.markMoved(function, name)) {
      return;
    }
    for (int i = definition.bodyOpen() + 1; i + 3 < definition.bodyClose(); i++) {
      boolean assigned = rewrite.token(i).text().equals(name) && rewrite.token(i + 1).is("=");
      CToken allocator = rewrite.token(i + 2);
      if (assigned && ALLOCATORS.contains(allocator.text()) && rewrite.token(i + 3).is("(")) {
        rewrite.edits.replace(allocator.offset(), allocator.text().length(), "flexc_shared_" + allocator.text());
        rewrite.share(new SharedData.Allocation(rewrite.file.path(), allocator.line(), function, allocator.text()));
        rewrite.requireRuntime();
      }
      boolean freed = rewrite.token(i).is("free") && rewrite.token(i + 1).is("(")
          && rewrite.token(i + 2).text().equals(name) && rewrite.token(i + 3).is(")");
      if (freed) {
        rewrite.edits.replace(rewrite.token(i).offset(), 4, "flexc_shared_free");
      }
    }
  }
}
