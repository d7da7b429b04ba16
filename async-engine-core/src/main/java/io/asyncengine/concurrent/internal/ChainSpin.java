package io.asyncengine.concurrent.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long, and how many threads at once, may wait actively for the next step of a chain instead of
 * parking. A chain of operations whose futures complete on virtual threads crosses two threads per
 * step (the lane hands the outcome to a continuation thread, whose continuation submits the next
 * operation to the lane); a parked thread costs a wake-up on each crossing, tens of microseconds on
 * a busy machine, several times a short statement. A thread that has just handed work across spins
 * for {@link #NANOS} instead, so the answer finds it running. The same holds for a virtual lane
 * waiting for a server's answer ({@link SpinningSocketFactory}, up to {@link #ROUND_TRIP_NANOS}):
 * a parked read is woken through the JDK's poller.
 *
 * <p>Users: a lane waiting for its next task ({@link Lane}) and a spinning socket read take a place
 * ({@link #enter}); the one continuation thread waiting for a completion
 * ({@link ContinuationThreads}) is capped by its own slot and only checks {@link #worthIt} and
 * {@link #mayTry}. All report whether their spin caught what it waited for.
 *
 * <p>Spinning only pays while a core is free: a thread may spin only while fewer lanes have work
 * than there are processors ({@link #worthIt}), and at most {@link #MAX_SPINNERS} threads spin at a
 * time (half the processors, at least one), so spinning never takes every core from the work it
 * waits for. Under concurrent load the hand-offs park as before. And spinning backs off when it
 * does not pay: after a spin that timed out, the next opportunities are skipped, twice as many
 * after each further miss (up to {@link #MAX_SKIPS}), none once a spin caught its step again. On
 * a machine whose cores are taken by other processes, the thread a spinner waits for may not get a
 * core for milliseconds, and the spin would only take more.
 *
 * <p>Thread-safe.
 */
final class ChainSpin {

  /** How long a thread waits actively; a few steps' worth of engine and continuation code. */
  static final long NANOS = 50_000;

  /** How long a read waits actively for a server's answer: a round trip on a local network. */
  static final long ROUND_TRIP_NANOS = 100_000;

  static final int MAX_SPINNERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

  static final int MAX_SKIPS = 1024;

  private static final AtomicInteger SPINNING = new AtomicInteger();

  /** Opportunities to skip before the next spin; how many after the next miss. */
  private static final AtomicInteger SKIPS_LEFT = new AtomicInteger();
  private static volatile int penalty;

  /** Lanes with work (their drainer scheduled or running), of every engine. */
  private static final AtomicInteger BUSY_LANES = new AtomicInteger();

  private ChainSpin() {}

  /** A lane has work: its drainer is scheduled. */
  static void laneBusy() {
    BUSY_LANES.incrementAndGet();
  }

  /** A lane's drainer has seen its queue empty and is released. */
  static void laneIdle() {
    BUSY_LANES.decrementAndGet();
  }

  /** Whether a core is likely free for a spinner: fewer lanes have work than there are processors. */
  static boolean worthIt() {
    return BUSY_LANES.get() < PROCESSORS;
  }

  /** Whether this opportunity to spin may be taken, or is skipped after recent misses. */
  static boolean mayTry() {
    if (SKIPS_LEFT.get() <= 0) {
      return true;
    }
    SKIPS_LEFT.decrementAndGet();
    return false;
  }

  /** A spin caught the step it waited for: spin at every opportunity again. */
  static void caught() {
    if (penalty != 0) {
      penalty = 0;
      SKIPS_LEFT.set(0);
    }
  }

  /** A spin timed out: skip the next opportunities, twice as many as after the last miss. */
  static void missed() {
    int next = Math.min(MAX_SKIPS, Math.max(1, penalty * 2));
    penalty = next;
    SKIPS_LEFT.set(next);
  }

  /**
   * Takes one of the spinners' places; returns false when they are all taken, spinning is not
   * {@link #worthIt worth it}, or this opportunity is {@link #mayTry skipped}. Never blocks.
   */
  static boolean enter() {
    if (!worthIt() || !mayTry()) {
      return false;
    }
    int now;
    do {
      now = SPINNING.get();
      if (now >= MAX_SPINNERS) {
        return false;
      }
    } while (!SPINNING.compareAndSet(now, now + 1));
    return true;
  }

  /** Gives back the place taken by a successful {@link #enter()}. */
  static void exit() {
    SPINNING.decrementAndGet();
  }
}
