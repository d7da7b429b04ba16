package io.asyncengine.asyncio;

import io.asyncengine.internal.Futures;
import io.asyncengine.session.Session;
import io.asyncengine.session.internal.SessionAccess;

import io.asyncengine.options.IsolationLevel;
import io.asyncengine.options.RetryPolicy;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Makes {@link AsyncSession}s with shared settings (SQLAlchemy's {@code async_sessionmaker}):
 * {@code AsyncSessionFactory.builder(engine).expireOnCommit(false).build()}.
 *
 * <p>Thread-safe and cheap: build one per engine and share it; each session it opens is for one
 * task at a time.
 */
public final class AsyncSessionFactory {

  private final AsyncEngine engine;
  private final boolean expireOnCommit;
  private final boolean autoflush;
  private final @Nullable IsolationLevel isolation;

  private AsyncSessionFactory(Builder builder) {
    this.engine = builder.engine;
    this.expireOnCommit = builder.expireOnCommit;
    this.autoflush = builder.autoflush;
    this.isolation = builder.isolation;
  }

  /**
   * A builder for sessions over {@code engine}: expire-on-commit and autoflush on, the engine's
   * isolation level.
   *
   * @throws NullPointerException when {@code engine} is null
   */
  public static Builder builder(AsyncEngine engine) {
    Objects.requireNonNull(engine, "engine must not be null");
    return new Builder(Objects.requireNonNull(engine, "engine must not be null"));
  }

  /**
   * A factory with the default settings.
   *
   * @throws NullPointerException when {@code engine} is null
   */
  public static AsyncSessionFactory of(AsyncEngine engine) {
    Objects.requireNonNull(engine, "engine must not be null");
    return builder(engine).build();
  }

  /**
   * A new session ({@code maker()}). No I/O: the session borrows a connection on its first
   * database operation. Close it ({@link AsyncSession#close()}, try-with-resources) when done.
   */
  public AsyncSession openSession() {
    return new AsyncSession(engine,
        SessionAccess.bridge().lentConnections(engine.sync(), expireOnCommit, autoflush, isolation));
  }

  /**
   * A new blocking {@link Session} with this factory's settings, borrowing connections from the
   * engine's synchronous view on the calling thread (for code already on a virtual thread). Close
   * it when done.
   */
  public Session openSyncSession() {
    return new Session(engine.sync(), expireOnCommit, autoflush, isolation);
  }

  /**
   * Runs {@code work} with a new session (SQLAlchemy's {@code async with maker.begin()}): commits
   * when the stage it returns completes, rolls back when it fails, throws, or when the returned
   * future is cancelled; the session is closed either way. The future completes after the commit,
   * or once the session is closed (its rollback follows before the connection goes back to the
   * pool), with {@code work}'s value or failure (a commit failure such as {@link
   * io.asyncengine.error.StaleObjectException} included).
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> inTransaction(
      Function<? super AsyncSession, ? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work must not be null");
    AsyncSession session = openSession();
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<T> stage;
    try {
      CompletionStage<T> returned = work.apply(session);
      if (returned == null) {
        throw new IllegalStateException("The transaction callback returned null instead of a CompletionStage");
      }
      stage = returned.toCompletableFuture();
    } catch (RuntimeException | Error e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> work0 = stage;
    result.whenComplete((value, failure) -> {
      if (result.isCancelled()) {
        work0.cancel(true);
        session.close(); // rolls back after the cancelled operation has stopped
      }
    });
    work0.whenComplete((value, failure) -> {
      if (failure != null) {
        session.closeAsync().whenComplete((closed, ignored) ->
            result.completeExceptionally(Futures.unwrap(failure)));
        return;
      }
      session.commit().whenComplete((committed, commitFailure) ->
          session.closeAsync().whenComplete((closed, ignored) -> {
            if (commitFailure != null) {
              result.completeExceptionally(Futures.unwrap(commitFailure));
            } else {
              result.complete(value);
            }
          }));
    });
    return result;
  }

  /**
   * Runs blocking-style {@code work} against a new session on its connection's lane, then commits
   * (as {@link #inTransaction});
   * rolls back when {@code work} throws or the returned future is cancelled (the running statement
   * is cancelled on the server). The session is closed either way.
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runInTransaction(
      Function<? super Session, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return inTransaction(session -> session.runSync(work));
  }

  /**
   * {@link #inTransaction(Function)}, run again as {@code policy} allows when it fails: each attempt
   * is a new session in a new transaction on a connection of its own, so {@code work} must not
   * depend on objects an earlier attempt loaded. What is retried, the backoff, cancellation and
   * the final failure are as in {@link AsyncEngine#inTransaction(Function, RetryPolicy)}; each
   * retry is reported through {@link EngineListener#retryScheduled} as
   * {@code session_factory.in_transaction}.
   *
   * @throws NullPointerException when {@code work} or {@code policy} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> inTransaction(
      Function<? super AsyncSession, ? extends CompletionStage<T>> work, RetryPolicy policy) {
    Objects.requireNonNull(work, "work must not be null");
    return engine.retrying(policy, OperationKinds.SESSION_FACTORY_IN_TRANSACTION, () -> inTransaction(work));
  }

  /**
   * {@link #runInTransaction(Function)}, run again as {@code policy} allows when it fails (see
   * {@link #inTransaction(Function, RetryPolicy)}): {@code work} runs once per attempt, each time
   * with a new session.
   *
   * @throws NullPointerException when {@code work} or {@code policy} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runInTransaction(
      Function<? super Session, ? extends T> work, RetryPolicy policy) {
    Objects.requireNonNull(work, "work must not be null");
    return inTransaction(session -> session.runSync(work), policy);
  }

  /** The engine sessions borrow connections from. */
  public AsyncEngine engine() {
    return engine;
  }

  /** Whether commit expires loaded objects. */
  public boolean expireOnCommit() {
    return expireOnCommit;
  }

  /** Whether queries autoflush. */
  public boolean autoflush() {
    return autoflush;
  }

  /** The isolation level of session transactions, or null for the engine's. */
  public @Nullable IsolationLevel isolationLevel() {
    return isolation;
  }

  /** Configures an {@link AsyncSessionFactory}. Not thread-safe. */
  public static final class Builder {
    private final AsyncEngine engine;
    private boolean expireOnCommit = true;
    private boolean autoflush = true;
    private @Nullable IsolationLevel isolation;

    private Builder(AsyncEngine engine) {
      this.engine = engine;
    }

    /** Whether commit expires every loaded object, so the next access re-reads it (default true). */
    public Builder expireOnCommit(boolean on) {
      this.expireOnCommit = on;
      return this;
    }

    /** Whether queries and {@code get} misses flush pending changes first (default true). */
    public Builder autoflush(boolean on) {
      this.autoflush = on;
      return this;
    }

    /** The isolation level of every session transaction; null (default) keeps the engine's. */
    public Builder isolationLevel(@Nullable IsolationLevel level) {
      this.isolation = level;
      return this;
    }

    /** The factory. */
    public AsyncSessionFactory build() {
      return new AsyncSessionFactory(this);
    }
  }
}
