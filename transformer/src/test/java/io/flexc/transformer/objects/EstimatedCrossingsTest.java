package io.flexc.transformer.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EstimatedCrossingsTest {

  private static GimpleDump.Function function(String name, GimpleDump.Reference... references) {
    return new GimpleDump.Function(name, List.of(references));
  }

  private static GimpleDump.Reference call(String name, double perCall) {
    return new GimpleDump.Reference(name, true, perCall);
  }

  private static Map<String, GimpleDump.Function> ordered(GimpleDump.Function... each) {
    Map<String, GimpleDump.Function> functions = new LinkedHashMap<>();
    for (GimpleDump.Function function : each) {
      functions.put(function.name(), function);
    }
    return functions;
  }

  @Test
  void frequenciesPropagateFromMainAlongCallsAndCallbacks() {
    Map<String, Map<String, GimpleDump.Function>> functions = new LinkedHashMap<>();
    // main runs loop 10 times per run; loop handles 3 requests per call, each replying twice and
    // getting once, and handing a callback to the store, which calls it every other get. The
    // recursion in recurse counts as its entry (once: nothing else calls it); callback's call of
    // get closes a cycle, so get runs 30 + 1 times, callback 30 + 31 / 2.
    functions.put("app", ordered(
        function("main", call("loop", 10), call("setup", 1)),
        function("loop", call("handle", 3)),
        function("handle", call("reply", 2), call("get", 1), new GimpleDump.Reference("callback", false, 1)),
        function("callback", call("get", 1)),
        function("recurse", call("recurse", 5), call("get", 1))));
    functions.put("proto", ordered(function("reply"), function("setup")));
    functions.put("store", ordered(function("get", call("callback", 0.5))));
    assertEquals(List.of(
            new EstimatedCrossings.Crossing("app", "store", 30 + 1 + 45.5),
            new EstimatedCrossings.Crossing("app", "proto", 1 + 60),
            new EstimatedCrossings.Crossing("store", "app", 15.5)),
        EstimatedCrossings.crossings(functions));
  }
}
