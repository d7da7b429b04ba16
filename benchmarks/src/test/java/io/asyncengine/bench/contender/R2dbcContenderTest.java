package io.asyncengine.bench.contender;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.bench.BenchDatabase;
import org.junit.jupiter.api.Test;

class R2dbcContenderTest extends AbstractContenderSmokeTest {

  @Test
  void runsEveryWorkload() throws Exception {
    smoke(BenchDatabase.POSTGRESQL, R2dbcContender::new);
  }

  @Test
  void countsAMissingRowAsAFailure() throws Exception {
    missingRowFails(BenchDatabase.POSTGRESQL, R2dbcContender::new);
  }

  @Test
  void runsOnPostgresqlOnly() {
    assertThat(new R2dbcContender().supports(BenchDatabase.SQLITE)).isFalse();
  }
}
