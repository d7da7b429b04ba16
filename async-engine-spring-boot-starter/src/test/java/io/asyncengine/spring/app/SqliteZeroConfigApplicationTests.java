package io.asyncengine.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.concurrent.ExecutorMode;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter with no configuration at all but the SQLite file's place (a temporary directory). */
@SpringBootTest(classes = StarterApplication.class)
class SqliteZeroConfigApplicationTests extends ApplicationWork {

  @Autowired DataSource dataSource;

  @DynamicPropertySource
  static void sqliteFile(DynamicPropertyRegistry registry) throws IOException {
    String path = Files.createTempDirectory("starter-boot-").resolve("data").resolve("async-engine.db").toString();
    registry.add("async-engine.sqlite.path", () -> path);
  }

  @Override
  String database() {
    return "sqlite";
  }

  @Override
  ExecutorMode expectedMode() {
    return ExecutorMode.PLATFORM;
  }

  @Test
  void theDataSourceIsTheStartersSqliteFile() throws Exception {
    assertThat(dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getJdbcUrl()).startsWith("jdbc:sqlite:")
        .endsWith("async-engine.db");
  }
}
