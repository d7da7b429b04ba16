package io.asyncengine.asyncio.internal;

import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.ExceptionTranslator;
import java.util.concurrent.Callable;

/**
 * Passes the engine's own exceptions through {@link ExceptionTranslator#translateEngineException}
 * where the async facade raises or passes them on (see that method for where). When the
 * translator keeps the default (the engine's types as they are), nothing is wrapped and nothing
 * allocated: {@link #translating} returns its task unchanged.
 *
 * <p>Thread-safe and immutable; its methods run on the thread where the failure arises.
 */
public final class EngineErrors {

  private final ExceptionTranslator translator;
  private final boolean active;

  private EngineErrors(ExceptionTranslator translator) {
    this.translator = translator;
    this.active = overridesEngineTranslation(translator);
  }

  /** The translation of {@code translator}, the engine's. */
  public static EngineErrors of(ExceptionTranslator translator) {
    return new EngineErrors(translator);
  }

  /**
   * {@code failure} as the caller should see it: an {@link AsyncEngineException} translated, any
   * other throwable unchanged. Never throws: an exception the translator throws is returned.
   */
  public Throwable translate(Throwable failure) {
    return active && failure instanceof AsyncEngineException engineException ? translate(engineException) : failure;
  }

  /** {@code e} translated; an exception the translator throws is returned, and a {@code null} keeps {@code e}. */
  public RuntimeException translate(AsyncEngineException e) {
    if (!active) {
      return e;
    }
    RuntimeException translated;
    try {
      translated = translator.translateEngineException(e);
    } catch (RuntimeException thrown) {
      return thrown;
    }
    return translated != null ? translated : e;
  }

  /**
   * {@code task}, with the {@link AsyncEngineException}s it throws translated; {@code task} itself
   * when the translator keeps the default.
   */
  public <T> Callable<T> translating(Callable<T> task) {
    if (!active) {
      return task;
    }
    return () -> {
      try {
        return task.call();
      } catch (AsyncEngineException e) {
        throw translate(e);
      }
    };
  }

  /**
   * Whether {@code translator}'s class declares its own {@code translateEngineException}. A class
   * that cannot be inspected counts as one that does, which only costs a wrapper per operation.
   */
  private static boolean overridesEngineTranslation(ExceptionTranslator translator) {
    try {
      return translator.getClass().getMethod("translateEngineException", AsyncEngineException.class)
          .getDeclaringClass() != ExceptionTranslator.class;
    } catch (NoSuchMethodException | RuntimeException e) {
      return true;
    }
  }
}
