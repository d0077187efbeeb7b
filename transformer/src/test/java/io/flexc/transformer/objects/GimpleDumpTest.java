package io.flexc.transformer.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GimpleDumpTest {

  /** Trimmed from gcc 12's -fdump-tree-optimized of kvstore.c at -O2. */
  static final String DUMP = """

      ;; Function script_get (script_get, funcdef_no=29, decl_uid=3672, cgraph_uid=30, symbol_order=32)

      long long int script_get (const char * key, size_t key_length)
      {
        long int length;
        char digits[32];

        <bb 2> [local count: 1073741824]:
        length_10 = store_get (key_7(D), key_length_8(D), &digits, 31);
        if (length_10 < 0)
          goto <bb 3>; [50.00%]
        else
          goto <bb 4>; [50.00%]

        <bb 3> [local count: 536870912]:
        fputs ("store_get (failed)", stderr);

        <bb 4> [local count: 8589934592]:
        _5 = resp_simple (key, 3, "OK");
        return 0;

      }

      ;; Function main (main, funcdef_no=30, decl_uid=3700, cgraph_uid=31, symbol_order=33)

      int main ()
      {
        int resp_simple;

        <bb 2> [local count: 1436686]:
        status_575 = script_eval (_574, _395, script_get, &result, resp_simple, 128);
        stop ();

      }
      """;

  @Test
  void callsAndAddressesAreWeighedByTheirBlockOverTheEntry() {
    GimpleDump dump = GimpleDump.parse(DUMP);
    assertEquals(List.of("script_get", "main"), List.copyOf(dump.functions().keySet()));
    assertEquals(List.of(
            new GimpleDump.Reference("store_get", true, 1.0),
            new GimpleDump.Reference("fputs", true, 0.5),
            new GimpleDump.Reference("stderr", false, 0.5),
            new GimpleDump.Reference("resp_simple", true, 8.0)),
        dump.functions().get("script_get").references());
    // Parameters and locals (digits, key; resp_simple in main) are not functions, whatever their
    // name; nor are the words of strings.
    assertEquals(List.of(
            new GimpleDump.Reference("script_eval", true, 1.0),
            new GimpleDump.Reference("script_get", false, 1.0),
            new GimpleDump.Reference("result", false, 1.0),
            new GimpleDump.Reference("stop", true, 1.0)),
        dump.functions().get("main").references());
  }
}
