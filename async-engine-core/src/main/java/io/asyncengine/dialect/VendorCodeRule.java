package io.asyncengine.dialect;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A dialect's knowledge of its driver's vendor error codes, consulted before the SQLState.
 *
 * <p>Thread: implementations are stateless and safe for concurrent use.
 */
@FunctionalInterface
interface VendorCodeRule {

  /** A rule that knows no vendor codes. */
  VendorCodeRule NONE = ex -> null;

  /** The kind of {@code ex} judged by its vendor code, or {@code null} to fall back on the SQLState. */
  @Nullable ErrorKind classify(SQLException ex);
}
