package io.asyncengine.asyncio.internal;

import io.asyncengine.core.SqlConnection;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link CursorPublisher}'s subscriptions run and what they hold while they run: a plain
 * connection hands out itself; a session claims itself (its misuse guard), borrows its connection
 * if it has none yet, and autoflushes before the query.
 */
public interface StreamSource {

  /**
   * Claims what one subscription uses and yields the connection it runs on. Called once per
   * subscription on the subscriber's thread. When it throws, nothing was claimed; when the returned
   * future fails, the source has already given back what it claimed.
   *
   * @throws RuntimeException when the source cannot be used now (a closed session, or one in use)
   */
  CompletableFuture<StreamHost> claim();

  /**
   * The engine's listeners, or {@code null} when none is installed: then a subscription is neither
   * timed nor reported. Any thread.
   */
  @Nullable EngineEvents events();

  /** The operation kind a subscription is reported as ({@code connection.stream}, {@code session.stream}). */
  String kind();

  /** Runs on the lane in the subscription's first step, before the cursor opens. May throw. */
  default void beforeOpen(SqlConnection connection) {}

  /**
   * Gives back what {@link #claim()} claimed. Called exactly once per successful claim, when no
   * later operation can overtake the subscription's remaining work on the lane. Any thread; must
   * not block.
   */
  default void release() {}
}
