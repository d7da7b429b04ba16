@NullMarked
package io.asyncengine.sample.accounts;

import org.jspecify.annotations.NullMarked;
