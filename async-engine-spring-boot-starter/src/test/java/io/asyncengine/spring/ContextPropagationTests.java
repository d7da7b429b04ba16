package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.micrometer.context.ContextRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * The caller's MDC, Micrometer-registered thread locals and the application's {@code TaskDecorator}
 * follow a call into the engine: its lane, its continuations, its statement echo, session work and
 * task-group tasks, on the zero-configuration SQLite engine (platform lanes, virtual continuations).
 */
class ContextPropagationTests {

  private static final String ACCESSOR_KEY = "async-engine-test.tenant";
  private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
  private static final ThreadLocal<String> DECORATED = new ThreadLocal<>();

  @AfterEach
  void clear() {
    MDC.clear();
    TENANT.remove();
    ContextRegistry.getInstance().removeThreadLocalAccessor(ACCESSOR_KEY);
  }

  @Test
  void theMdcReachesTheLaneTheContinuationsTheEchoAndTheSession() {
    Runners.sqlite().withPropertyValues("async-engine.echo=true").run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncSessionFactory sessions = context.getBean(AsyncSessionFactory.class);
      ListAppender<ILoggingEvent> echo = capture("io.asyncengine.sql");
      try {
        MDC.put("requestId", "r-42");
        assertThat(engine.runSync(c -> MDC.get("requestId")).join()).isEqualTo("r-42");
        assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 42"))
            .thenApply(answer -> MDC.get("requestId")).join()).isEqualTo("r-42");
        assertThat(sessions.runInTransaction(session -> MDC.get("requestId")).join()).isEqualTo("r-42");
        try (var group = engine.taskGroup()) {
          var task = group.fork(() -> MDC.get("requestId"));
          group.join();
          assertThat(task.join()).isEqualTo("r-42");
        }
        MDC.clear();
        assertThat(engine.runSync(c -> Objects.requireNonNullElse(MDC.get("requestId"), "none")).join())
            .as("nothing left behind on the lane").isEqualTo("none");
      } finally {
        release(echo, "io.asyncengine.sql");
      }
      List<ILoggingEvent> selects = echo.list.stream()
          .filter(event -> event.getFormattedMessage().contains("select 42")).toList();
      assertThat(selects).isNotEmpty()
          .allSatisfy(event -> assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "r-42"));
    });
  }

  @Test
  void threadLocalsRegisteredWithMicrometerFollowTheCall() {
    ContextRegistry.getInstance().registerThreadLocalAccessor(ACCESSOR_KEY, TENANT::get, TENANT::set, TENANT::remove);
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      TENANT.set("acme");
      assertThat(engine.runSync(c -> TENANT.get()).join()).isEqualTo("acme");
      assertThat(engine.runSync(c -> 1).thenApply(one -> TENANT.get()).join()).isEqualTo("acme");
    });
  }

  @Test
  void withSpringsContextPropagatingTaskDecoratorTheSnapshotIsTakenOnlyOnce() {
    AtomicInteger captures = new AtomicInteger();
    ContextRegistry.getInstance().registerThreadLocalAccessor(ACCESSOR_KEY, () -> {
      captures.incrementAndGet();
      return TENANT.get();
    }, TENANT::set, TENANT::remove);
    int[] alone = new int[1];
    Runners.sqlite().run(context -> alone[0] = capturesOfOneCall(context.getBean(AsyncEngine.class), captures));
    Runners.sqlite().withUserConfiguration(SnapshotDecoratorConfiguration.class).run(context -> {
      assertThat(alone[0]).isPositive();
      assertThat(capturesOfOneCall(context.getBean(AsyncEngine.class), captures)).isEqualTo(alone[0]);
    });
  }

  private static int capturesOfOneCall(AsyncEngine engine, AtomicInteger captures) {
    TENANT.set("acme");
    captures.set(0);
    assertThat(engine.runSync(c -> TENANT.get()).join()).isEqualTo("acme");
    return captures.get();
  }

  @Test
  void theApplicationsTaskDecoratorIsApplied() {
    Runners.sqlite().withUserConfiguration(DecoratorConfiguration.class).run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(engine.runSync(c -> DECORATED.get()).join()).isEqualTo("decorated");
    });
  }

  @Test
  void withoutMicrometersLibraryTheMdcStillFollows() {
    Runners.sqlite().withClassLoader(new FilteredClassLoader("io.micrometer.context")).run(context -> {
      assertThat(context).doesNotHaveBean("asyncEngineContextSnapshotCustomizer");
      MDC.put("requestId", "r-7");
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> MDC.get("requestId")).join()).isEqualTo("r-7");
    });
  }

  @Test
  void turnedOffNothingFollows() {
    Runners.sqlite().withPropertyValues("async-engine.context-propagation.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean("asyncEngineContextSnapshotCustomizer");
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      MDC.put("requestId", "r-42");
      assertThat(engine.runSync(c -> Objects.requireNonNullElse(MDC.get("requestId"), "none")).join())
          .isEqualTo("none");
    });
  }

  private static ListAppender<ILoggingEvent> capture(String loggerName) {
    Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender, String loggerName) {
    ((Logger) LoggerFactory.getLogger(loggerName)).detachAppender(appender);
    appender.stop();
  }

  @Configuration(proxyBeanMethods = false)
  static class SnapshotDecoratorConfiguration {
    @Bean
    TaskDecorator taskDecorator() {
      return new ContextPropagatingTaskDecorator();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DecoratorConfiguration {
    @Bean
    TaskDecorator taskDecorator() {
      return task -> () -> {
        DECORATED.set("decorated");
        try {
          task.run();
        } finally {
          DECORATED.remove();
        }
      };
    }
  }
}
