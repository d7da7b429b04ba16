package io.asyncengine.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the table an entity (a record or POJO used with a session) is stored in, instead of the
 * snake-case form of its simple name ({@code UserAccount} to {@code user_account}).
 *
 * <p>The name is used verbatim (quoted), so it must be a plain SQL identifier ({@code [A-Za-z_]
 * [A-Za-z0-9_$]*}, at most 63 characters), optionally schema-qualified ({@code app.users});
 * anything else is rejected with a {@link io.asyncengine.error.MappingException} when the entity
 * is first used.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Table {

  /** The table name, optionally {@code schema.table}. */
  String value();
}
