package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.error.ResourceClosedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;

/** Shutdown with work in flight, and the engine waiting for schema initialisation. */
class LifecycleAndInitializationTests {

  @Test
  void workThatEndsWithinTheGracePeriodCompletes() {
    AtomicReference<CompletableFuture<Integer>> inFlight = new AtomicReference<>();
    Runners.sqlite().withPropertyValues("async-engine.shutdown.grace-period=5s").run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      inFlight.set(engine.runSync(c -> {
        sleep(300);
        return c.scalar(Integer.class, "select 7");
      }));
    });
    assertThat(inFlight.get().join()).isEqualTo(7);
  }

  @Test
  void workBeyondTheGracePeriodIsAbortedAndShutdownDoesNotHang() {
    String url = StarterDatabases.require(StarterDatabases.POSTGRESQL);
    AtomicReference<CompletableFuture<Object>> inFlight = new AtomicReference<>();
    long started = System.nanoTime();
    Runners.datasource(url).withPropertyValues("async-engine.shutdown.grace-period=300ms").run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      inFlight.set(engine.runSync(c -> c.scalar(Object.class, "select pg_sleep(30)")));
      sleep(200); // the statement is running on the server
    });
    Duration shutdown = Duration.ofNanos(System.nanoTime() - started);
    assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
    assertThat(inFlight.get()).isCompletedExceptionally();
    Throwable failure = catchFailure(inFlight.get());
    assertThat(failure).isInstanceOf(ResourceClosedException.class).hasMessageContaining("grace period");
  }

  @Test
  void theEngineWaitsForSchemaInitialisation() {
    Runners.sqlite().withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
        .withPropertyValues("spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:starter-schema.sql")
        .run(context -> {
          assertThat(context).hasNotFailed();
          String[] dependsOn = context.getBeanFactory().getBeanDefinition("asyncEngine").getDependsOn();
          assertThat(dependsOn).isNotEmpty();
          String name = context.getBean(AsyncEngine.class)
              .runSync(c -> c.scalar(String.class, "select name from starter_init where id = 1")).join();
          assertThat(name).isEqualTo("from schema.sql");
        });
  }

  private static Throwable catchFailure(CompletableFuture<?> future) {
    try {
      future.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
