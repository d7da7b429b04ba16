/**
 * Database dialects: what the engine must know about SQLite, PostgreSQL, MariaDB/MySQL and any
 * other JDBC database, and how driver errors become {@code io.asyncengine.error} exceptions.
 * Start at {@link io.asyncengine.dialect.Dialect}.
 */
@NullMarked
package io.asyncengine.dialect;

import org.jspecify.annotations.NullMarked;
