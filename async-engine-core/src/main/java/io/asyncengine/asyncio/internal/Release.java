package io.asyncengine.asyncio.internal;

import io.asyncengine.concurrent.internal.AdmissionGate;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives one connection's gate permit back exactly once, when the connection is closed, however
 * many times and from whichever threads closing is attempted.
 */
final class Release implements Runnable {

  private final AdmissionGate gate;
  private final AtomicBoolean done = new AtomicBoolean();

  Release(AdmissionGate gate) {
    this.gate = gate;
  }

  @Override
  public void run() {
    if (done.compareAndSet(false, true)) {
      gate.leave();
    }
  }
}
