package io.flexc.cli;

import io.flexc.backends.IsolationBackends;
import java.io.IOException;
import java.io.InputStream;
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
    description = {
      "Splits a C application made of libraries into isolated compartments,",
      "guided by each library's safety metadata."
    },
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
   * The command line with flexc's settings, for {@link #main} and for tests. Picocli already
   * answers usage errors with {@link CommandLine.ExitCode#USAGE}, which is {@link #EXIT_USAGE}.
   */
  public static CommandLine newCommandLine() {
    return new CommandLine(new Flexc()).setResourceBundle(new HelpTexts()).setExecutionExceptionHandler((exception, commandLine, parsed) -> {
      // Stopping removes what the command was writing under it: its failure then is no fault to show.
      if (StopReport.stopping()) {
        return EXIT_INVALID_INPUT;
      }
      throw exception;
    });
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
