package io.asyncengine.bench.contender;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.bench.BenchDatabase;
import org.junit.jupiter.api.Test;

class VertxPgContenderTest extends AbstractContenderSmokeTest {

  @Test
  void runsEveryWorkload() throws Exception {
    smoke(BenchDatabase.POSTGRESQL, VertxPgContender::new);
  }

  @Test
  void countsAMissingRowAsAFailure() throws Exception {
    missingRowFails(BenchDatabase.POSTGRESQL, VertxPgContender::new);
  }

  @Test
  void runsOnPostgresqlOnly() {
    assertThat(new VertxPgContender().supports(BenchDatabase.SQLITE)).isFalse();
  }
}
