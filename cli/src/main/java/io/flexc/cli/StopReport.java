package io.flexc.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one line a command prints when flexc is stopped (Ctrl-C, SIGTERM) while it writes an output.
 * Stopping removes the partial output under the running work ({@link AtomicDirectory}'s hooks),
 * which then fails on files that vanished: those failures are the stop's consequence, not news, so
 * the command says it was stopped instead of printing them. The JVM ends once its shutdown hooks
 * have run; this one waits, a bounded time, for the work to give up, so that the line is printed
 * whichever comes first, and only once.
 */
final class StopReport implements AutoCloseable {

  /** How long stopping waits for the work to give up before printing the line regardless. */
  private static final long WAIT_SECONDS = 10;

  private final PrintWriter err;
  private final String line;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  /** Prints {@code line} on {@code err} if flexc is stopped before {@link #completed} or {@link #close}. */
  StopReport(PrintWriter err, String line) {
    this.err = err;
    this.line = line;
    this.hook = new Thread(() -> {
      try {
        closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      report();
    });
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether flexc is being stopped: its shutdown has begun, and what it was writing is being removed. */
  static boolean stopping() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }

  /** The output was written completely: a stop from now on has nothing to report. */
  void completed() {
    settled.set(true);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return;
    } catch (IllegalStateException shuttingDown) {
      // The hook runs: report now, and let it end.
    }
    report();
    closed.countDown();
  }

  private void report() {
    if (settled.compareAndSet(false, true)) {
      err.println(line);
      err.flush();
    }
  }
}
