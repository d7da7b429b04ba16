package io.asyncengine.sample;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * A Logback appender on the root logger that keeps every event with the MDC, thread and message
 * it had when it was logged (read at once on the logging thread, not later on the test's).
 */
final class LogCollector extends AppenderBase<ILoggingEvent> {

  private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // the MDC, thread name and message of the logging thread, now
    events.add(event);
  }

  /** Attaches a new collector to the root logger and starts it. */
  static LogCollector attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogCollector collector = new LogCollector();
    collector.setContext(context);
    collector.setName("test-log-collector");
    collector.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(collector);
    return collector;
  }

  /** Detaches this collector from the root logger. */
  void detach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    stop();
  }

  List<ILoggingEvent> all() {
    return new ArrayList<>(events);
  }

  /** The events of logger {@code name} (or its children). */
  List<ILoggingEvent> of(String name) {
    return events.stream().filter(e -> e.getLoggerName().equals(name) || e.getLoggerName().startsWith(name + "."))
        .toList();
  }
}
