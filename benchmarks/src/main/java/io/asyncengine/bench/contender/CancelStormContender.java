package io.asyncengine.bench.contender;

import java.util.concurrent.Future;

/** A contender W6 can run: it submits long statements and reports its pool's busy connections. */
public interface CancelStormContender {

  /** Submits one long statement ({@code sql}) and returns its future, to be cancelled. */
  Future<?> submitSleep(String sql);

  /** Connections checked out of the contender's pool right now. */
  int activeConnections();
}
