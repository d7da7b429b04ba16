/** The benchmark's HTTP rival application (JdbcClient on virtual threads). */
@NullMarked
package io.asyncengine.bench.http;

import org.jspecify.annotations.NullMarked;
