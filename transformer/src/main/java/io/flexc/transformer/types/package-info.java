/**
 * Functions' types as the compiler saw them, for gates: read from the DWARF of the objects
 * ({@link io.flexc.transformer.types.DebugInfo}), spelled as C ({@link
 * io.flexc.transformer.types.TypeSpelling}) and laid out as a call under the System V x86-64 ABI
 * ({@link io.flexc.transformer.types.SystemVClassifier}, giving {@link io.flexc.model.CallShape}).
 *
 * <p><b>Why DWARF.</b> A gate must know what the compiler made of a callee, not how its text reads:
 * K&R definitions, export macros ({@code LUA_API}), typedef'd function types, attributes and
 * {@code static inline} functions in headers all defeat a reading of the text. Of the ways to ask
 * gcc,
 * <ul>
 *   <li>DWARF from {@code -g} has everything a call's layout depends on: every function the object
 *       defines (external and static) with its parameters (and their names), {@code ...}
 *       ({@code DW_TAG_unspecified_parameters}), prototyped or not, and every type down to structure
 *       members, bit fields, sizes and alignments, after the preprocessor and typedefs. Programs
 *       built for debugging (Redis's default flags have {@code -g}) already carry it, so reading it
 *       costs no compilation; otherwise only the files that define a gate's callee are compiled
 *       again, with {@code -g} and without variable tracking (the part of {@code -g} that costs).
 *       {@code -g} does not change the generated code, so the types are those of the build.
 *   <li>{@code gcc -aux-info} writes each function's prototype as text (K&R ones converted), but
 *       not what a structure holds, so a structure argument or result could not be classified;
 *       and it runs only with a full compilation of every file.
 *   <li>{@code __typeof__} in the stubs gives C the exact type, but flexc itself would still not
 *       know whether a call passes a structure in memory, returns on the x87 stack or needs more
 *       stack than a gate forwards; the transformer already uses it for the gates' declarations.
 * </ul>
 * The DWARF is read directly (versions 2 to 5, the relocations of {@code .debug_info} applied), as
 * {@link io.flexc.transformer.objects.ElfObject} reads the symbols: no binutils process per object.
 */
package io.flexc.transformer.types;
