package io.flexc.transformer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CScannerTest {

  private static CFile scan(String text) {
    return CScanner.scan(Path.of("t.c"), text);
  }

  private static List<String> functions(String text) {
    return scan(text).functions().stream().map(FunctionDefinition::name).toList();
  }

  /** The uses of the names the test is about (every other name is a use too, of a variable). */
  private static List<String> uses(String text, List<String> names) {
    return scan(text).references().stream().filter(r -> names.contains(r.name()))
        .map(r -> r.name() + ":" + r.use()).toList();
  }

  @Test
  void bracesOpenedDifferentlyInEachIfBranchStayBalanced() {
    String text = """
        int f(int x)
        {
        #if A
          if (x) {
        #else
          if (!x) {
        #endif
            g();
          }
          return 0;
        }
        int h(void) { return 1; }
        """;
    assertEquals(List.of("f", "h"), functions(text));
  }

  @Test
  void aTableDeclaredWithItsStructTypeIsOneItemFromItsFirstWord() {
    String text = """
        int f(int);
        static const struct operation {
          int (*run)(int);
        } operations[] = { {f} };
        """;
    Reference use = scan(text).references().stream().filter(r -> r.name().equals("f")).findFirst().orElseThrow();
    assertEquals(text.indexOf("static"), use.itemStart());
  }

  @Test
  void functionPointerParametersAndLocalsAreLocals() {
    CFile file = scan("long f(long (*callback)(int), int n) { void (*done[2])(void); return callback(n); }");
    assertTrue(file.isLocal("f", "callback"));
    assertTrue(file.isLocal("f", "done"));
  }

  @Test
  void ifZeroRegionsAreNotCode() {
    assertEquals(List.of("kept"), functions("#if 0\nint gone(void) { return 0; }\n#endif\nint kept(void) { return 1; }\n"));
    assertEquals(List.of("other"), functions("#if 1\nint other(void) { return 0; }\n#else\nint dead(void) { x( }\n#endif\n"));
  }

  @Test
  void definitionsAsRealCodeWritesThem() {
    String text = """
        static err_t
        tcp_write(struct tcp_pcb *pcb, const void *data, u16_t len
        #if LWIP_CHECKSUM
                  , u16_t sum
        #endif
                  ) __attribute__((nonnull))
        {
          return ERR_OK;
        }
        LUA_API int (lua_gettop) (lua_State *L) { return 0; }
        void *
        #if !CHECK
        pool_get(int type)
        #else
        pool_get_checked(int type, const char *file)
        #endif
        { return 0; }
        """;
    CFile file = scan(text);
    assertEquals(List.of("tcp_write", "lua_gettop", "pool_get_checked", "pool_get"),
        file.functions().stream().map(FunctionDefinition::name).toList());
    FunctionDefinition write = file.functions().get(0);
    assertTrue(write.isStatic());
    assertEquals("static err_t tcp_write(struct tcp_pcb *pcb, const void *data, u16_t len, u16_t sum)",
        write.prototype());
    assertEquals(2, write.nameToken().line());
  }

  @Test
  void typesInitializersAndPrototypesAreNotDefinitions() {
    String text = """
        struct s { int (*op)(int); };
        enum e { A, B };
        static const int table[] = { 1, 2 };
        int declared(int x);
        typedef struct { int a; } t;
        """;
    assertEquals(List.of(), functions(text));
  }

  @Test
  void callsAndAddressUsesButNotMembersCommentsOrStrings() {
    String text = """
        static int (*ops[])(int) = { handler };
        int f(struct s *p, struct s v)
        {
          /* callee(1) in a comment */
          const char *t = "callee(2) in a string";
          p->callee(3);
          v.callee(4);
          register_cb(handler);
          return callee(5) + '{';
        }
        """;
    assertEquals(List.of("handler:ADDRESS", "register_cb:CALL", "handler:ADDRESS", "callee:CALL"),
        uses(text, List.of("handler", "register_cb", "callee")));
  }

  @Test
  void parametersAndLocalsShadowFunctions() {
    CFile file = scan("int f(int close, char *buf[])\n{\n  int open = 1, *send;\n  return close + open;\n}\n");
    assertTrue(file.isLocal("f", "close"));
    assertTrue(file.isLocal("f", "buf"));
    assertTrue(file.isLocal("f", "open"));
    assertTrue(file.isLocal("f", "send"));
  }

  @Test
  void directivesKeepTheirContinuationsAndComments() {
    List<CToken> tokens = CLexer.tokenize("#define X(a) \\\n  f(a) /* multi\nline */\nint y;\n");
    assertEquals(CToken.Kind.DIRECTIVE, tokens.get(0).kind());
    assertEquals("int", tokens.get(1).text());
    assertEquals(4, tokens.get(1).line());
  }

  @Test
  void positionsAreOneBasedLinesAndColumns() {
    CFile file = scan("int f(void)\n{\n\treturn  g();\n}\n");
    Reference call = file.references().get(0);
    CToken token = file.code().get(call.token());
    assertEquals(3, token.line());
    assertEquals(10, token.column());
  }
}
