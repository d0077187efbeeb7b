package io.flexc.transformer;

import io.flexc.model.GateSite;
import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites one C file for a configuration, at source level, by running the rewrite rules over it,
 * each adding position-tied edits to the file's {@link FileRewrite}: {@link CallGateRule} (calls
 * and address uses of functions in other compartments go to gates), which hands what a call passes
 * across to {@link CallbackRule}, {@link SharedLocalRule} and {@link SharedAllocationRule};
 * {@link MacroExpansionRule} (function-like macros whose expansion crosses are expanded with the
 * gates in); and {@link FlexosAnnotationRule} (FlexOS's annotations become what they mean).
 * {@link FileRewrite#result} then inserts the gate declarations and applies the edits. What the
 * rules leave alone (names hidden by a macro or a local) the object-level pass redirects.
 */
final class SourceRewriter {

  /** What rewriting one file gave. */
  record Result(
      String text,
      List<GateSite> sites,
      List<SharedData> shared,
      List<String> notes,
      Set<String> entryPoints) {}

  static final String RUNTIME_PRELUDE =
      """
      /* flexc: the shared-memory runtime that the rewrites in this file use. */
      extern void *flexc_shared_malloc(__SIZE_TYPE__ size);
      extern void *flexc_shared_calloc(__SIZE_TYPE__ count, __SIZE_TYPE__ size);
      extern void *flexc_shared_realloc(void *pointer, __SIZE_TYPE__ size);
      extern void flexc_shared_free(void *pointer);
      extern void *flexc_shared_alloc(__SIZE_TYPE__ size);
      extern void flexc_shared_release(void *slot);
      extern void *flexc_dss_alloc(__SIZE_TYPE__ size);
      extern void flexc_dss_release(void *slot);

      """;

  private SourceRewriter() {}

  /**
   * Rewrites {@code file} of {@code library}. {@code definitions} are the macros the preprocessor
   * reported for it (none without a compiler run, when the rewrite assumes that a name defined as
   * a function is that function): a call to a function-like macro whose expansion calls another
   * compartment is expanded in place so that the gate is visible in the source, and a function's
   * name that is also an active macro is left to the object-level pass. Names in {@code excluded}
   * (callees, gates or moved locals the compiler rejected in an earlier attempt) are left to the
   * object-level pass.
   */
  static Result rewrite(CFile file, String library, Symbols symbols,
      Map<String, MacroDefinition> definitions, Placement placement, Set<String> excluded) {
    FileRewrite rewrite = new FileRewrite(file, library, symbols, definitions, placement, excluded);
    SharedLocalRule sharedLocals = new SharedLocalRule(rewrite);
    SharedAllocationRule sharedAllocations = new SharedAllocationRule(rewrite);
    CallGateRule callGates = new CallGateRule(rewrite, new CallbackRule(rewrite), sharedLocals, sharedAllocations);
    FlexosAnnotationRule flexos = new FlexosAnnotationRule(rewrite);
    for (Reference reference : file.references()) {
      if (!flexos.apply(reference)) {
        callGates.apply(reference);
      }
    }
    new MacroExpansionRule(rewrite, sharedLocals).apply(rewrite.macroCalls());
    sharedAllocations.applyToGlobalsReferencedAcross();
    flexos.removeAttributes();
    return rewrite.result();
  }
}
