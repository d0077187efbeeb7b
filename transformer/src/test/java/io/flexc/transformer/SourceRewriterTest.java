package io.flexc.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.model.SharedData.Placement;
import io.flexc.transformer.source.CScanner;
import io.flexc.transformer.source.MacroDefinition;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rewrite rule (one test per rule class) on a small inline file of library a (compartment 0), where library b
 * (compartment 1) defines {@code put} and {@code take}: the exact text the rule produces.
 */
class SourceRewriterTest {

  private static final Symbols SYMBOLS = new Symbols() {
    @Override
    public Optional<String> functionOwner(String name) {
      return Set.of("put", "take").contains(name) ? Optional.of("b") : Optional.empty();
    }

    @Override
    public int compartmentOf(String library) {
      return library.equals("a") ? 0 : 1;
    }

    @Override
    public boolean isReferencedAcross(String global) {
      return Set.of("message", "settings").contains(global);
    }
  };

  private static String rewrite(String text, String macros) {
    return SourceRewriter.rewrite(CScanner.scan(Path.of("a.c"), text), "a", SYMBOLS,
        MacroDefinition.parseAll(macros), Placement.DSS, Set.of()).text();
  }

  private static String rewrite(String text) {
    return rewrite(text, "");
  }

  @Test
  void callIntoAnotherCompartmentGoesThroughItsGate() {
    assertEquals("""
        int put(int);
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        int f(void) {
          return flexc_gate_c0_put(1);
        }
        """, rewrite("""
        int put(int);
        int f(void) {
          return put(1);
        }
        """));
  }

  @Test
  void staticFunctionHandedAcrossIsCalledBackThroughAGateAndAGlobalAlias() {
    assertEquals("""
        int put(int (*)(void));
        static int g(void) { return 0; }
        /* flexc: a global name for static g, which compartment 1 calls back through a gate */
        extern __typeof__(g) flexc_static_a_a_g __attribute__((alias("g")));
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        extern __typeof__(g) flexc_gate_c1_flexc_static_a_a_g; /* flexc gate */
        int f(void) {
          return flexc_gate_c0_put(flexc_gate_c1_flexc_static_a_a_g);
        }
        """, rewrite("""
        int put(int (*)(void));
        static int g(void) { return 0; }
        int f(void) {
          return put(g);
        }
        """));
  }

  @Test
  void localWhoseAddressCrossesMovesToTheSharedStack() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        int put(int *);
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        int f(void) {
          int (*flexc_shared_x)  __attribute__((cleanup(flexc_dss_release))) = \
        flexc_dss_alloc(sizeof(*flexc_shared_x)); *flexc_shared_x = 1;
          flexc_gate_c0_put(&(*flexc_shared_x));
          return (*flexc_shared_x);
        }
        """, rewrite("""
        int put(int *);
        int f(void) {
          int x = 1;
          put(&x);
          return x;
        }
        """));
  }

  @Test
  void localHandedToAFunctionPointerMovesToTheSharedStackButNotAHeapBuffer() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        #include <stdlib.h>
        long f(long (*callback)(const int *, char *)) {
          int (*flexc_shared_values)[4] __attribute__((cleanup(flexc_dss_release))) = \
        flexc_dss_alloc(sizeof(*flexc_shared_values));
          char *p = malloc(8);
          return callback((*flexc_shared_values), p);
        }
        """, rewrite("""
        #include <stdlib.h>
        long f(long (*callback)(const int *, char *)) {
          int values[4];
          char *p = malloc(8);
          return callback(values, p);
        }
        """));
  }

  @Test
  void localHandedToADereferencedFunctionPointerMovesToTheSharedStack() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        struct debug { int line; };
        typedef void (*hook_t)(int, struct debug *);
        void call_hook(hook_t given) {
          hook_t hook = given;
          struct debug (*flexc_shared_ar) __attribute__((cleanup(flexc_dss_release))) = \
        flexc_dss_alloc(sizeof(*flexc_shared_ar));
          (*flexc_shared_ar).line = 3;
          (*hook)(1, &(*flexc_shared_ar));
        }
        """, rewrite("""
        struct debug { int line; };
        typedef void (*hook_t)(int, struct debug *);
        void call_hook(hook_t given) {
          hook_t hook = given;
          struct debug ar;
          ar.line = 3;
          (*hook)(1, &ar);
        }
        """));
  }

  @Test
  void buffersInTheFieldsOfAStructHandedAcrossAreAllocatedOnTheSharedHeap() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        #include <stdlib.h>
        struct request { int *values; };
        int put(struct request *);
        int take(struct request *);
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        extern __typeof__(take) flexc_gate_c0_take; /* flexc gate */
        int f(struct request *p) {
          struct request (*flexc_shared_r) __attribute__((cleanup(flexc_dss_release))) = \
        flexc_dss_alloc(sizeof(*flexc_shared_r));
          (*flexc_shared_r).values = flexc_shared_malloc(16);
          p->values = flexc_shared_calloc(4, 4);
          flexc_gate_c0_put(&(*flexc_shared_r));
          flexc_gate_c0_take(p);
          flexc_shared_free((*flexc_shared_r).values);
          flexc_shared_free(p->values);
          return 0;
        }
        """, rewrite("""
        #include <stdlib.h>
        struct request { int *values; };
        int put(struct request *);
        int take(struct request *);
        int f(struct request *p) {
          struct request r;
          r.values = malloc(16);
          p->values = calloc(4, 4);
          put(&r);
          take(p);
          free(r.values);
          free(p->values);
          return 0;
        }
        """));
  }

  @Test
  void buffersInGlobalsAnotherCompartmentReadsAreAllocatedOnTheSharedHeap() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        #include <stdlib.h>
        struct config { char *path; };
        char *message;
        struct config settings;
        char *own;
        void f(void) {
          message = flexc_shared_malloc(16);
          settings.path = flexc_shared_calloc(4, 1);
          own = malloc(8);
          free(message);
        }
        void g(void) {
          char *message = malloc(4);
          free(message);
        }
        """, rewrite("""
        #include <stdlib.h>
        struct config { char *path; };
        char *message;
        struct config settings;
        char *own;
        void f(void) {
          message = malloc(16);
          settings.path = calloc(4, 1);
          own = malloc(8);
          free(message);
        }
        void g(void) {
          char *message = malloc(4);
          free(message);
        }
        """));
  }

  @Test
  void bufferHandedAcrossIsAllocatedAndFreedOnTheSharedHeap() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        #include <stdlib.h>
        int put(char *);
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        int f(void) {
          char *p;
          p = flexc_shared_malloc(8);
          flexc_gate_c0_put(p);
          flexc_shared_free(p);
          return 0;
        }
        """, rewrite("""
        #include <stdlib.h>
        int put(char *);
        int f(void) {
          char *p;
          p = malloc(8);
          put(p);
          free(p);
          return 0;
        }
        """));
  }

  @Test
  void flexosAnnotationsBecomeWhatTheyMeanHere() {
    assertEquals(SourceRewriter.RUNTIME_PRELUDE + """
        int /* flexc: flexos_whitelist */ g(void) { return 0; }
        extern __typeof__(take) flexc_gate_c0_take; /* flexc gate */
        int f(void) {
          int r;
          char *p = flexc_shared_malloc(8);
          r = flexc_gate_c0_take(p);
          return r;
        }
        """, rewrite("""
        int __attribute__((flexos_whitelist)) g(void) { return 0; }
        int f(void) {
          int r;
          char *p = flexos_malloc_whitelist(8, liba);
          flexos_gate_r(libb, r, take, p);
          return r;
        }
        """));
  }

  @Test
  void macroWhoseExpansionCrossesIsExpandedWithItsGates() {
    assertEquals("""
        int put(int);
        extern __typeof__(put) flexc_gate_c0_put; /* flexc gate */
        int f(void) {
          return (flexc_gate_c0_put(1) + flexc_gate_c0_put(1));
        }
        """, rewrite("""
        int put(int);
        int f(void) {
          return PUT_TWICE(1);
        }
        """, "#define PUT_TWICE(v) (put(v) + put(v))\n"));
  }
}
