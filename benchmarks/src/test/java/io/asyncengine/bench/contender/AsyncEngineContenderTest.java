package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.concurrent.ExecutorMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's contenders built without Spring: its defaults and the virtual-thread variant. */
class AsyncEngineContenderTest extends AbstractContenderSmokeTest {

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void runsEveryWorkload(BenchDatabase db) throws Exception {
    smoke(db, AsyncEngineContender::new);
  }

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void runsEveryWorkloadOnVirtualThreads(BenchDatabase db) throws Exception {
    smoke(db, () -> AsyncEngineContender.withExecutor(ExecutorMode.VIRTUAL));
  }

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void countsAMissingRowAsAFailure(BenchDatabase db) throws Exception {
    missingRowFails(db, AsyncEngineContender::new);
  }
}
