/** {@code POST /api/transfers} on JdbcClient and {@code @Transactional}. */
@NullMarked
package io.asyncengine.bench.http.accounts;

import org.jspecify.annotations.NullMarked;
