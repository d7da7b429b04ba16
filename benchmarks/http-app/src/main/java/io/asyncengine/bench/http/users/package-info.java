/** {@code GET /api/users/{id}} on JdbcClient. */
@NullMarked
package io.asyncengine.bench.http.users;

import org.jspecify.annotations.NullMarked;
