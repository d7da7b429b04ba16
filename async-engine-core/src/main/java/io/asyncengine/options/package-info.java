/**
 * Settings a connection runs with: {@link io.asyncengine.options.IsolationLevel} and {@link
 * io.asyncengine.options.ExecutionOptions}; and when a failed transaction runs again: {@link
 * io.asyncengine.options.RetryPolicy}.
 */
@NullMarked
package io.asyncengine.options;

import org.jspecify.annotations.NullMarked;
