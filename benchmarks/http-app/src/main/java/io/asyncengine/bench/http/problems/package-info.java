/** RFC 9457 problem answers, as the sample app gives them. */
@NullMarked
package io.asyncengine.bench.http.problems;

import org.jspecify.annotations.NullMarked;
