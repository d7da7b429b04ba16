/**
 * Conversion between JDBC values and Java types, in both directions ({@code TypeConverter} reads,
 * {@code JdbcValues} writes), and {@code ValueText}, how values are printed in logs and messages.
 */
@NullMarked
package io.asyncengine.types;

import org.jspecify.annotations.NullMarked;
