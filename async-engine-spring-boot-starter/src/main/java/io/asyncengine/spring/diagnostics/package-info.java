/**
 * The starter's startup failures and the {@code FailureAnalyzer}s that explain them in plain words.
 */
@NullMarked
package io.asyncengine.spring.diagnostics;

import org.jspecify.annotations.NullMarked;
