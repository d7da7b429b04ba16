/**
 * The exception hierarchy (SQLAlchemy's {@code sqlalchemy.exc}): every failure of the engine is
 * an {@link io.asyncengine.error.AsyncEngineException}, and {@link
 * io.asyncengine.error.ExceptionTranslator} lets an application raise its own types instead.
 */
@NullMarked
package io.asyncengine.error;

import org.jspecify.annotations.NullMarked;
