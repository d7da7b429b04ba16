/**
 * Rows to records and POJOs, and the entity model of sessions: {@code @Table}, {@code @Id},
 * {@code @Column}, {@code @Version}, {@code @Transient} and the snake_case naming convention.
 */
@NullMarked
package io.asyncengine.mapping;

import org.jspecify.annotations.NullMarked;
