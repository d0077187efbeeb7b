package io.flexc.cli;

import io.flexc.build.AtomicDirectory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a command says when flexc is stopped (Ctrl-C, SIGTERM) while it writes an output: one
 * line, once. Stopping removes the partial output under the running work (the hooks of the
 * {@link io.flexc.transformer.ScratchDirectory}s that {@link AtomicDirectory} writes into), which
 * then fails on files that vanished: those failures are the stop's consequence, not news, so the
 * command reports the stop instead of them. The JVM ends once its shutdown hooks have run; this
 * one waits, a bounded time, for the work to give up (and remove what it wrote meanwhile), and
 * reports the stop itself if the work has not by then.
 */
final class StopReport implements AutoCloseable {

  /** How long stopping waits for the work to give up before reporting regardless. */
  private static final long WAIT_SECONDS = 10;

  private final Runnable report;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  /** Runs {@code report} if flexc is stopped before {@link #completed}. */
  StopReport(Runnable report) {
    this.report = report;
    this.hook = new Thread(() -> {
      try {
        closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reportOnce();
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
      // The hook runs: the work has given up, so report now and let the hook end.
    }
    reportOnce();
    closed.countDown();
  }

  private void reportOnce() {
    if (settled.compareAndSet(false, true)) {
      report.run();
    }
  }
}
