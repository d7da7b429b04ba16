/**
 * Implementation of the session: per-entity state and SQL. Not API.
 */
@NullMarked
package io.asyncengine.session.internal;

import org.jspecify.annotations.NullMarked;
