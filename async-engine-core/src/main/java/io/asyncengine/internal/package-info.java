/**
 * Thread utilities at the bottom of the engine: the one timer thread and the platform threads
 * that carry cancel requests. Not API.
 */
@NullMarked
package io.asyncengine.internal;

import org.jspecify.annotations.NullMarked;
