package io.flexc.metadata;

import static io.flexc.metadata.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.ApiFunction;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Located;
import io.flexc.model.MemoryAccess;
import io.flexc.model.Outcome;
import io.flexc.model.Permission;
import io.flexc.model.SourceMap;
import io.flexc.model.SourcePosition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What library metadata files mean, in both notations, and where their parts were written. */
class MetadataReaderTest {

  /** The scheduler of the design document, in the seed notation with every feature it allows. */
  private static final String SEED_NOTATION = """
      # A cooperative scheduler verified in Dafny.
      [Library] ::= sched   // named explicitly
      [Memory Access] ::= R, W
      [Call] ::= ukalloc::uk_malloc, \\
                 ukalloc::*
      [API] ::= (thread_add, SYMB) (thread_remove, SYMB)\\
                (schedcoop_yield, SYMB, "void schedcoop_yield(void)")
      [Requires] ::= R
      [Role] ::= scheduler
      [Verified] ::= Dafny
      [Language] ::= "Dafny 4"
      """;

  /** The same scheduler as FlexOS writes a Properties.def. */
  private static final String FLEXOS_NOTATION = """
      Library::=sched
      Memory Access::=R,W
      Call::=ukalloc::uk_malloc,ukalloc::*
      API::=(thread_add,SYMB) (thread_remove,SYMB) (schedcoop_yield,SYMB,"void schedcoop_yield(void)")
      Requires::=R
      Role::=scheduler
      Verified::=Dafny
      Language::="Dafny 4"
      """;

  private static final LibraryMetadata SCHED = new LibraryMetadata(
      "sched",
      Set.of(MemoryAccess.READ_OWN, MemoryAccess.READ_SHARED, MemoryAccess.WRITE_OWN, MemoryAccess.WRITE_SHARED),
      CallPolicy.declared(List.of(new CallTarget("ukalloc", "uk_malloc"), new CallTarget("ukalloc", "*"))),
      List.of(ApiFunction.of("thread_add"), ApiFunction.of("thread_remove"),
          new ApiFunction("schedcoop_yield", Optional.of("void schedcoop_yield(void)"))),
      Set.of(Permission.R),
      Optional.of("scheduler"),
      Optional.of("Dafny"),
      Optional.of("Dafny 4"));

  @TempDir Path directory;

  private static Located<LibraryMetadata> parse(String text) {
    Outcome<Located<LibraryMetadata>> outcome = MetadataReader.parseLibrary("x.meta", text, "x");
    assertTrue(outcome.succeeded(), outcome.diagnostics().toString());
    assertEquals(List.of(), outcome.diagnostics());
    return outcome.get();
  }

  private static LibraryMetadata meaning(String text) {
    return parse(text).value();
  }

  @Test
  void anApiFunctionMayDeclareWhatItAnswersWhenItsCompartmentHasCrashed() {
    LibraryMetadata lua = meaning("""
        [API] ::= (lua_pcall, SYMB, "int lua_pcall(lua_State *L, int n, int r, int f)", (on-crash, 2)) \\
                  (lua_gettop, SYMB, (on-crash, -1)) (lua_settop, SYMB)
        """);
    assertEquals(List.of(
        new ApiFunction("lua_pcall", Optional.of("int lua_pcall(lua_State *L, int n, int r, int f)"), OptionalLong.of(2)),
        new ApiFunction("lua_gettop", Optional.empty(), OptionalLong.of(-1)),
        ApiFunction.of("lua_settop")), lua.api());
  }

  @Test
  void bothNotationsMeanTheSame() {
    assertEquals(SCHED, meaning(SEED_NOTATION));
    assertEquals(SCHED, meaning(FLEXOS_NOTATION));
  }

  @Test
  void flexosUnverifiedCInBothNotations() {
    LibraryMetadata seed = meaning("[Memory Access] ::= RA, WA\n[Call] ::= XA\n[Requires] ::= R, W, X\n");
    LibraryMetadata flexos = meaning("Memory Access::=RA,WA\r\nCall::=X*\r\nRequires::=R,W,X\r\n");
    assertEquals(LibraryMetadata.unverifiedC("x"), seed);
    assertEquals(seed, flexos);
  }

  @Test
  void leftOutSectionsTakeTheUnverifiedCDefaults() {
    assertEquals(LibraryMetadata.unverifiedC("x"), meaning(""));
    assertEquals(LibraryMetadata.unverifiedC("x"), meaning("# only a comment\n\n// and another\n"));
  }

  @Test
  void aBodyRunsToTheNextHeader() {
    LibraryMetadata metadata = meaning("[API] ::= (a, SYMB)\n  (b, SYMB)\n\n  (c, SYMB)\n[Requires] ::=\n");
    assertEquals(List.of("a", "b", "c"), metadata.api().stream().map(ApiFunction::symbol).toList());
    assertEquals(Set.of(), metadata.requires(), "an empty [Requires] allows nothing but API calls");
  }

  @Test
  void sectionNamesIgnoreCaseAndBlanks() {
    assertEquals(Set.of(Permission.W), meaning("[requires] ::= W\n").requires());
    assertEquals(meaning("[Memory Access] ::= RA\n"), meaning("[memory   ACCESS] ::= RA\n"));
  }

  @Test
  void explicitMemoryAccessAndCallForms() {
    assertEquals(meaning("[Memory Access] ::= RA, WA\n"), meaning("[Memory Access] ::= (any, RW)\n"));
    assertEquals(Set.of(MemoryAccess.READ_OWN, MemoryAccess.WRITE_SHARED),
        meaning("[Memory Access] ::= (own, R), (shared, W)\n").memoryAccess());
    assertEquals(CallPolicy.declared(List.of()), meaning("[Call] ::= X\n").call());
    assertEquals(new CallPolicy(true, List.of(new CallTarget("libc", "*"))),
        meaning("[Call] ::= X*, libc::*\n").call());
    assertEquals(CallPolicy.declared(List.of(new CallTarget("pthread-embedded", "pthread_create"))),
        meaning("[Call] ::= X, pthread-embedded :: pthread_create\n").call());
  }

  @Test
  void theSourceMapPointsAtSectionsAndItems() {
    SourceMap source = parse(SEED_NOTATION).source();
    assertEquals(new SourcePosition("x.meta", 8, 1), source.section("Requires"));
    assertEquals(new SourcePosition("x.meta", 5, 12), source.item("Call", "ukalloc::*"));
    assertEquals(new SourcePosition("x.meta", 7, 11), source.item("API", "schedcoop_yield"));
    assertEquals(new SourcePosition("x.meta", 8, 16), source.item("Requires", "R"));
    assertEquals(new SourcePosition("x.meta", 8, 1), source.item("Requires", "W"), "falls back to the header");
    assertEquals(SourcePosition.startOf("x.meta"), parse("").source().section("Requires"));
    SourceMap spaced = parse("[Call] ::= X,  alloc :: f\n").source();
    assertEquals(new SourcePosition("x.meta", 1, 16), spaced.item("Call", "alloc::f"));
  }

  @Test
  void riskyBehavioursRememberWhereTheyWereDeclared() {
    SourceMap source = parse("Memory Access::=R,WA\nCall::=X*\n").source();
    assertEquals(new SourcePosition("x.meta", 1, 19), source.item("Memory Access", "WA"));
    assertEquals(new SourcePosition("x.meta", 2, 8), source.item("Call", "XA"));
  }

  @Test
  void filesNameTheirLibrary() {
    Path sched = write(directory, "sched.meta", "[Requires] ::= R\n");
    Path lwip = write(directory, "lwip/Properties.def", "Requires::=R,W,X\n");
    Path named = write(directory, "whatever.meta", "[Library] ::= alloc\n");
    assertEquals("sched", MetadataReader.readLibrary(sched).get().value().name());
    assertEquals("lwip", MetadataReader.readLibrary(lwip).get().value().name());
    assertEquals("alloc", MetadataReader.readLibrary(named).get().value().name());
    assertEquals("given", MetadataReader.readLibrary(sched, "given").get().value().name());
    assertEquals(sched.toString(), MetadataReader.readLibrary(sched).get().source().file());
  }

  @Test
  void mechanismFilesAreRecognisedByTheirExtension() {
    assertTrue(MetadataReader.isMechanismFile(Path.of("dir", "asan.mech")));
    assertFalse(MetadataReader.isMechanismFile(Path.of("asan.meta")));
    assertFalse(MetadataReader.isMechanismFile(Path.of("/")));
  }
}
