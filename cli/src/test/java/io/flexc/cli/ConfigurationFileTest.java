package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What is wrong with a {@code --config} file is an error at its line and column, with exit 1. */
class ConfigurationFileTest {

  @TempDir Path temporary;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      duplicate key     | {"compartments": [["sched", "app", "alloc"]],\\n "compartments": [["netstack"]]} | 2:2: error: duplicate key 'compartments'; it was already given at 1:2
      trailing value    | {"compartments": [["sched", "app", "alloc"], ["netstack"]]}\\n{} | 2:1: error: trailing content after the JSON value
      trailing garbage  | {"compartments": [["sched", "app", "alloc"], ["netstack"]]} x | 1:61: error: trailing content after the JSON value
      half a number     | {"assignment": {"sched": 0, "app": 0.5, "alloc": 0, "netstack": 1}} | 1:36: error: the compartment of 'app' must be a whole number from 0, not 0.5
      a string number   | {"assignment": {"sched": 0, "app": "1", "alloc": 0, "netstack": 1}} | 1:36: error: the compartment of 'app' must be a whole number from 0, not "1"
      a boolean number  | {"assignment": {"sched": 0, "app": true, "alloc": 0, "netstack": 1}} | 1:36: error: the compartment of 'app' must be a whole number from 0, not true
      a negative number | {"assignment": {"sched": 0, "app": -1, "alloc": 0, "netstack": 1}} | 1:36: error: the compartment of 'app' must be a whole number from 0, not -1
      an unknown library| {"compartments": [["sched", "app", "alloc"], ["netstack", "netstak"]]} | 1:59: error: unknown library 'netstak'; the application has sched, app, alloc, netstack
      placed twice      | {"compartments": [["sched", "app", "alloc"], ["netstack", "app"]]} | 1:59: error: library 'app' is placed twice
      hardening a word  | {"compartments": [["sched", "app", "alloc"], ["netstack"]], "hardening": {"app": "cfi"}} | 1:82: error: the hardening of 'app' must be a list of mechanisms, not "cfi"
      trailing, CRLF    | {"compartments": [["sched", "app", "alloc"], ["netstack"]]}\\r\\n\\n  x | 3:3: error: trailing content after the JSON value
      not JSON          | not json | 1:4: error: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
      truncated         | {"compartments": [["sched", "app", "alloc"], ["netstack"]] | 1:59: error: the file ends inside the JSON value
      """)
  void aBadFileIsAnErrorAtItsPlace(String what, String json, String expected) throws IOException {
    Path config = Files.writeString(temporary.resolve("config.json"), json.replace("\\r", "\r").replace("\\n", "\n"));
    FlexcRun build = FlexcRun.run("build", FlexcRun.EXAMPLE, "--backend", "fcall", "--config", config.toString(),
        "--quiet", "-o", temporary.resolve("out").toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, build.exit(), build.err());
    assertEquals(config + ":" + expected + "\n", build.err());
  }
}
