package io.asyncengine.spring.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a database the starter could not connect to at startup. Runs on the failing startup's thread. */
public final class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnreachableException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnreachableException cause) {
    Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
    return new FailureAnalysis(
        "async-engine could not connect to the database at " + cause.url() + ".\n\nReason: " + reason.getMessage(),
        "Check that the database is running and reachable from this machine, and that the URL, user and password are "
            + "right: spring.datasource.url/username/password for the application's DataSource, or async-engine.url/"
            + "username/password for the engine's own pool. To start without the engine, set async-engine.enabled=false.",
        cause);
  }
}
