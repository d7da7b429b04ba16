package io.asyncengine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameConventionTest {

  @ParameterizedTest
  @CsvSource({
      "createdAt, created_at",
      "UserAccount, user_account",
      "HTTPServer, http_server",
      "id, id",
      "address2, address2",
      "address2Line, address2_line",
      "getURL, get_url",
      "userID, user_id",
      "already_snake, already_snake",
      "A, a",
      "X, x",
      "createdAt_UTC, created_at_utc",
  })
  void toSnakeCase(String javaName, String expected) {
    assertThat(NameConvention.toSnakeCase(javaName)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "CREATED_AT, createdat",
      "created_at, createdat",
      "createdAt, createdat",
      "id, id",
      "_x_, x",
      "Address2, address2",
  })
  void normalize(String label, String expected) {
    assertThat(NameConvention.normalize(label)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"createdAt", "HTTPServer", "userAccount", "address2Line"})
  void snakeCaseNormalizesLikeTheJavaName(String javaName) {
    assertThat(NameConvention.normalize(NameConvention.toSnakeCase(javaName)))
        .isEqualTo(NameConvention.normalize(javaName));
  }
}
