package io.asyncengine.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integral property ({@code int}, {@code long} or their boxes) as the entity's version
 * counter, for optimistic locking (SQLAlchemy's {@code version_id_col}).
 *
 * <p>A session sets it to 1 on INSERT and increments it on each UPDATE; UPDATE and DELETE are
 * guarded by {@code WHERE version = <the version read>}, and one that matches no row throws
 * {@link io.asyncengine.error.StaleObjectException}: another transaction changed or deleted the
 * row first.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface Version {
}
