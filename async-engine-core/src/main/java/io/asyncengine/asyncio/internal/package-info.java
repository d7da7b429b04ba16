/**
 * Implementation of the async facade: the engine's runtime (executors, admission gate, work in
 * flight, disposal) and its connects, publishers over cursors, the session's operation guard.
 * Not API.
 */
@NullMarked
package io.asyncengine.asyncio.internal;

import org.jspecify.annotations.NullMarked;
