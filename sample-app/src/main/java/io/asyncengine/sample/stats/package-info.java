@NullMarked
package io.asyncengine.sample.stats;

import org.jspecify.annotations.NullMarked;
