package io.flexc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The command line with flexc's settings, for {@link #main} and for tests. Help is wrapped by
   * picocli to the terminal's width; a usage error prints its one-line message and where the help
   * is, not the whole usage, and exits {@link #EXIT_USAGE}; a command stopped by a signal exits
   * {@link #EXIT_INVALID_INPUT} without a stack trace.
   */
  public static CommandLine newCommandLine() {
    return new CommandLine(new Flexc())
        .setUsageHelpAutoWidth(true)
        .setParameterExceptionHandler(Flexc::usageError)
        .setExecutionExceptionHandler((exception, commandLine, parsed) -> {
          // Stopping removes what the command was writing under it: its failure then is no fault to show.
          if (StopReport.stopping()) {
            return EXIT_INVALID_INPUT;
          }
          throw exception;
        });
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
