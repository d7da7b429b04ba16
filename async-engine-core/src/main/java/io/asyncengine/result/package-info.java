/**
 * Buffered results ({@link io.asyncengine.result.Result}), rows ({@link
 * io.asyncengine.result.Row}) and cursors over rows not yet read.
 */
@NullMarked
package io.asyncengine.result;

import org.jspecify.annotations.NullMarked;
