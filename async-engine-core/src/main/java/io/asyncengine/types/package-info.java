/**
 * Conversion between JDBC values and Java types, in both directions.
 */
@NullMarked
package io.asyncengine.types;

import org.jspecify.annotations.NullMarked;
