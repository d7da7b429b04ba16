package io.asyncengine.asyncio;

/**
 * The operation kinds reported to an {@link EngineListener}: a fixed set of lowercase strings
 * (metric tags), listed in the listener's Javadoc. Constants, so reporting allocates no string.
 */
final class OperationKinds {

  static final String EXECUTE = "connection.execute";
  static final String EXECUTE_MANY = "connection.execute_many";
  static final String SCALAR = "connection.scalar";
  static final String SCALARS = "connection.scalars";
  static final String STREAM = "connection.stream";
  static final String BEGIN = "connection.begin";
  static final String BEGIN_NESTED = "connection.begin_nested";
  static final String COMMIT = "connection.commit";
  static final String ROLLBACK = "connection.rollback";
  static final String RUN_SYNC = "connection.run_sync";
  static final String ISOLATION = "connection.isolation";

  static final String ENGINE_IN_TRANSACTION = "engine.in_transaction";
  static final String ENGINE_RUN_SYNC = "engine.run_sync";
  static final String ENGINE_RUN_SYNC_IN_TRANSACTION = "engine.run_sync_in_transaction";

  static final String SESSION_STREAM = "session.stream";
  static final String SESSION_FACTORY_IN_TRANSACTION = "session_factory.in_transaction";

  private OperationKinds() {}

  /**
   * The kind of the async session operation named {@code operation} (the name its misuse guard
   * reports); {@code session.other} for a name not listed, so the set stays fixed.
   */
  static String session(String operation) {
    return switch (operation) {
      case "get" -> "session.get";
      case "getOne" -> "session.get_one";
      case "flush" -> "session.flush";
      case "commit" -> "session.commit";
      case "rollback" -> "session.rollback";
      case "refresh" -> "session.refresh";
      case "merge" -> "session.merge";
      case "execute" -> "session.execute";
      case "scalar" -> "session.scalar";
      case "scalars" -> "session.scalars";
      case "stream" -> SESSION_STREAM;
      case "begin" -> "session.begin";
      case "beginNested" -> "session.begin_nested";
      case "runSync" -> "session.run_sync";
      case "withoutAutoflush" -> "session.without_autoflush";
      default -> "session.other";
    };
  }
}
