@NullMarked
package io.asyncengine.sample;

import org.jspecify.annotations.NullMarked;
