@NullMarked
package io.asyncengine.sample.problems;

import org.jspecify.annotations.NullMarked;
