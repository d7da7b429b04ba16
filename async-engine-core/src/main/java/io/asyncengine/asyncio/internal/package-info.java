/**
 * Implementation of the async facade: publishers over cursors, the session's operation guard.
 * Not API.
 */
@NullMarked
package io.asyncengine.asyncio.internal;

import org.jspecify.annotations.NullMarked;
