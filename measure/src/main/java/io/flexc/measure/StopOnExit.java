package io.flexc.measure;

import java.util.concurrent.TimeUnit;

/**
 * Stops a child process with SIGTERM when flexc itself is stopped (Ctrl-C, SIGTERM) while the child
 * runs, so no program or workload outlives the command that started it.
 */
public final class StopOnExit implements AutoCloseable {

  private final Thread stopper;

  public StopOnExit(Process process) {
    stopper = new Thread(() -> {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(stopper);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // flexc is already stopping: the hook runs and stops the child.
    }
  }
}
