package io.flexc.cli;

import io.flexc.backends.IsolationBackends;
import io.flexc.model.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ListResourceBundle;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flexc} command: a compartmentalization compiler, one subcommand per job. */
@Command(
    name = "flexc",
    mixinStandardHelpOptions = true,
    versionProvider = Flexc.Version.class,
    description = "Splits a C application made of libraries into isolated compartments, guided by each library's"
        + " safety metadata.",
    subcommands = {
      CheckCommand.class,
      SolveCommand.class,
      ExplainCommand.class,
      ExploreCommand.class,
      AnalyzeCommand.class,
      TransformCommand.class,
      BuildCommand.class,
      RunCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Flexc implements Runnable {

  /** Exit code of a command whose input is invalid; diagnostics say why. */
  public static final int EXIT_INVALID_INPUT = 1;

  /** Exit code of {@code solve} when no configuration obeys the policy. */
  public static final int EXIT_UNSATISFIABLE = 3;

  /** Exit code of {@code solve} when the time ran out before any answer. */
  public static final int EXIT_TIMEOUT = 4;

  /** Exit code of a command given wrong arguments. */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /** Exit code of a fault in flexc itself (sysexits' EX_SOFTWARE): a bug to report, never the input's. */
  public static final int EXIT_INTERNAL = 70;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The command line with flexc's settings, for {@link #main} and for tests. Help is wrapped by
   * picocli to the terminal's width; a usage error prints its one-line message and where the help
   * is, not the whole usage, and exits {@link #EXIT_USAGE}; a command stopped by a signal exits
   * {@link #EXIT_INVALID_INPUT} without a stack trace; any other failure is one line, never a stack
   * trace (unless {@code FLEXC_DEBUG} is set).
   */
  public static CommandLine newCommandLine() {
    return new CommandLine(new Flexc())
        .setResourceBundle(new HelpTexts())
        .setUsageHelpAutoWidth(true)
        .setParameterExceptionHandler(Flexc::usageError)
        .setExecutionExceptionHandler(Flexc::failure);
  }

  /**
   * A command that failed with an exception: an I/O failure is the environment's (a full disk, a
   * file that vanished) and exits {@link #EXIT_INVALID_INPUT}; anything else is a bug in flexc,
   * said as such in one line and exiting {@link #EXIT_INTERNAL}.
   */
  private static int failure(Exception exception, CommandLine commandLine, CommandLine.ParseResult parsed) {
    // Stopping removes what the command was writing under it: its failure then is no fault to show.
    if (StopReport.stopping()) {
      return EXIT_INVALID_INPUT;
    }
    PrintWriter err = commandLine.getErr();
    Throwable cause = exception instanceof UncheckedIOException unchecked ? unchecked.getCause() : exception;
    int exit;
    if (cause instanceof IOException io) {
      err.println("flexc: " + Printable.escape(String.valueOf(io.getMessage())));
      exit = EXIT_INVALID_INPUT;
    } else {
      err.println("flexc: internal error, a bug in flexc: " + Printable.escape(cause.toString())
          + (System.getenv("FLEXC_DEBUG") == null ? "; FLEXC_DEBUG=1 shows where" : ""));
      exit = EXIT_INTERNAL;
    }
    if (System.getenv("FLEXC_DEBUG") != null) {
      exception.printStackTrace(err);
    }
    err.flush();
    return exit;
  }

  private static int usageError(CommandLine.ParameterException error, String[] arguments) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(error.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return EXIT_USAGE;
  }

  /**
   * What help texts take from the code rather than from annotations, which only hold constants:
   * {@code ${bundle:flexc.backends}} is the registry's list of backends.
   */
  private static final class HelpTexts extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
      return new Object[][] {{"flexc.backends", IsolationBackends.labels()}};
    }
  }

  /** Without a subcommand, say what there is. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties properties = new Properties();
      try (InputStream in = Flexc.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {
        "flexc " + properties.getProperty("version", "(unknown version)"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
