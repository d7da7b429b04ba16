package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcClientContenderTest extends AbstractContenderSmokeTest {

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void runsEveryWorkload(BenchDatabase db) throws Exception {
    smoke(db, JdbcClientContender::new);
  }

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void countsAMissingRowAsAFailure(BenchDatabase db) throws Exception {
    missingRowFails(db, JdbcClientContender::new);
  }
}
