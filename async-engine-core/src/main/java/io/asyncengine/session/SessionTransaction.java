package io.asyncengine.session;

import io.asyncengine.core.Transaction;
import io.asyncengine.error.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A transaction of a {@link Session} (SQLAlchemy's {@code SessionTransaction}): the root one from
 * {@link Session#begin()}, whose commit is the session's flush-and-commit, or a SAVEPOINT from
 * {@link Session#beginNested()}.
 *
 * <p>{@link #close()} rolls back if neither commit nor rollback ran, so try-with-resources never
 * leaves work half done.
 *
 * <p>Thread: the session's thread.
 */
public final class SessionTransaction implements AutoCloseable {

  private final Session session;
  private final @Nullable Transaction savepoint;
  /** For a root handle, the connection's root transaction it stands for (ends with it). */
  private final @Nullable Transaction root;
  private final int insertedMark;
  private final int deletedMark;
  private volatile boolean active = true;

  SessionTransaction(Session session, @Nullable Transaction savepoint, int insertedMark, int deletedMark) {
    this.session = session;
    this.savepoint = savepoint;
    this.root = null;
    this.insertedMark = insertedMark;
    this.deletedMark = deletedMark;
  }

  /** The root handle standing for the connection's root transaction {@code root}. */
  SessionTransaction(Session session, Transaction root) {
    this.session = session;
    this.savepoint = null;
    this.root = root;
    this.insertedMark = 0;
    this.deletedMark = 0;
  }

  /**
   * Root: flushes and commits the session ({@link Session#commit()}). Nested: flushes and releases
   * the savepoint.
   *
   * @throws InvalidRequestException when the transaction already ended
   * @throws io.asyncengine.error.AsyncEngineException subclasses from the flush or commit
   */
  public void commit() {
    ensureActive("commit");
    active = false;
    if (savepoint == null) {
      session.commit();
    } else {
      session.commitNested(savepoint);
    }
  }

  /**
   * Root: the session's {@link Session#rollback()}. Nested: rolls back to the savepoint, forgets
   * entities inserted since, restores those deleted since, expires everything.
   *
   * @throws InvalidRequestException when the transaction already ended
   */
  public void rollback() {
    ensureActive("roll back");
    active = false;
    if (savepoint == null) {
      session.rollback();
    } else {
      session.rollbackNested(savepoint, insertedMark, deletedMark);
    }
  }

  /**
   * Rolls back if still active (and the session is open); otherwise does nothing, also when the
   * transaction was ended through the session ({@code session.commit()}) rather than this handle.
   */
  @Override
  public void close() {
    if (isActive() && !session.isClosed()) {
      rollback();
    }
    active = false;
  }

  /**
   * Whether neither commit nor rollback has run and the transaction (the savepoint, or the
   * connection's root transaction) is still open. No I/O; any thread.
   */
  public boolean isActive() {
    if (!active) {
      return false;
    }
    if (savepoint != null) {
      return savepoint.isActive();
    }
    return root != null ? root.isActive() : session.inTransaction();
  }

  /** Whether this is a SAVEPOINT. */
  public boolean isNested() {
    return savepoint != null;
  }

  private void ensureActive(String action) {
    if (!isActive()) {
      throw new InvalidRequestException("Cannot " + action + ": this session transaction has already ended");
    }
  }
}
