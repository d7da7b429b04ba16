/**
 * The same endpoints on Spring Data JDBC (profile {@code data-jdbc}): repositories with derived
 * and {@code @Query} methods, {@code JdbcAggregateTemplate.insert} for the client-keyed transfer.
 */
@NullMarked
package io.asyncengine.bench.http.data;

import org.jspecify.annotations.NullMarked;
