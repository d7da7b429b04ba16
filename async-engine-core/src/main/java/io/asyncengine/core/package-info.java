/**
 * The synchronous core (SQLAlchemy's {@code Engine} and {@code Connection}): plain blocking
 * JDBC, written to run on the engine's threads. {@code AsyncEngine.runSync} hands it out.
 */
@NullMarked
package io.asyncengine.core;

import org.jspecify.annotations.NullMarked;
