package io.flexc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One run of the flexc command line, as a user makes it, with what it printed. */
record FlexcRun(int exit, String out, String err) {

  /** The seed's example application; Maven runs tests in the module directory. */
  static final String EXAMPLE = Path.of("..", "examples", "seed-scheduler").toString();

  static FlexcRun run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Flexc.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(arguments);
    return new FlexcRun(exit, out.toString(), err.toString());
  }
}
