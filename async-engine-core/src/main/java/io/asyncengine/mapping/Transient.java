package io.asyncengine.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Excludes a property from mapping: it is never read from a row. A transient record component
 * receives {@code null} (or zero / {@code false} for primitives); a transient POJO field keeps the
 * value its constructor gave it, even when its setter exists.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface Transient {
}
