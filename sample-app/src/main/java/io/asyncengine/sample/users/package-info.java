@NullMarked
package io.asyncengine.sample.users;

import org.jspecify.annotations.NullMarked;
