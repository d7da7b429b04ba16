/**
 * Settings a connection runs with: {@link io.asyncengine.options.IsolationLevel} and {@link
 * io.asyncengine.options.ExecutionOptions}.
 */
@NullMarked
package io.asyncengine.options;

import org.jspecify.annotations.NullMarked;
