package io.asyncengine.bench.http;

import org.springframework.test.context.ActiveProfiles;

/** The same endpoints and checks with profile {@code data-jdbc}: Spring Data JDBC repositories, on SQLite. */
@ActiveProfiles("data-jdbc")
class DataJdbcApplicationTest extends JdbcClientApplicationTest {}
