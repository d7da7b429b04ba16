/**
 * Rows to records and POJOs ({@code RowObjectMapper}), and the annotations that shape both row
 * mapping and sessions: {@code @Table}, {@code @Id}, {@code @Column}, {@code @Version},
 * {@code @Transient}, with the snake_case naming convention ({@code NameConvention}). The class
 * model behind them is in {@code mapping.internal}.
 */
@NullMarked
package io.asyncengine.mapping;

import org.jspecify.annotations.NullMarked;
