/**
 * Structured concurrency for engine work: {@link io.asyncengine.concurrent.TaskGroup} (anyio's
 * task groups and cancel scopes) and {@link io.asyncengine.concurrent.ExecutorMode}.
 */
@NullMarked
package io.asyncengine.concurrent;

import org.jspecify.annotations.NullMarked;
