package io.asyncengine.dialect;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Any database without its own dialect (H2, Derby, ...): standard JDBC behaviour and standard
 * SQLStates only.
 *
 * <p>Thread: immutable; safe for concurrent use.
 */
final class GenericDialect implements Dialect {

  static final GenericDialect INSTANCE = new GenericDialect();

  private final SqlErrorTranslator translator = new SqlErrorTranslator(VendorCodeRule.NONE, ValueFreeMessage.AS_IS);

  private GenericDialect() {
  }

  @Override
  public String name() {
    return "generic";
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex) {
    return translator.translate(operation, sql, parameters, ex);
  }

  @Override
  public String toString() {
    return "Dialect[generic]";
  }
}
