package io.asyncengine.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the column a property or record component is read from, instead of its Java name.
 *
 * <p>Matching stays case- and underscore-insensitive (see {@link NameConvention#normalize}). On a
 * POJO it may sit on the setter, the field or the getter (looked up in that order); the row mapper
 * and a session read the same one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface Column {

  /** The column name. */
  String value();
}
