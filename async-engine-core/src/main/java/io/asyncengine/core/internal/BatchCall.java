package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One statement run once per row of values as a JDBC batch (SQLAlchemy's executemany). The
 * statement comes from the connection's cache and is handed back with its batch cleared.
 */
public final class BatchCall extends StatementCall<int[]> {

  private final StatementCache cache;
  private final ParameterBinder binder;
  private final List<@Nullable Object[]> rows;
  private int @Nullable [] counts;

  /** The batch of {@code parsed} over {@code rows}, each ordered for the statement's markers. */
  public BatchCall(ParsedSql parsed, List<@Nullable Object[]> rows, StatementCache cache, ParameterBinder binder) {
    super("executeMany", parsed);
    this.cache = cache;
    this.binder = binder;
    this.rows = rows;
  }

  @Override
  public PreparedStatement prepare() throws SQLException {
    return cache.prepare(parsed().jdbcSql(), false);
  }

  @Override
  public void bind(PreparedStatement statement) throws SQLException {
    for (@Nullable Object[] values : rows) {
      binder.bind(statement, values, parsed().original());
      statement.addBatch();
    }
  }

  @Override
  public void execute(PreparedStatement statement) throws SQLException {
    counts = statement.executeBatch();
  }

  /** The update count of each execution, as the driver reports them. */
  @Override
  public int[] read(PreparedStatement statement) {
    return counts;
  }

  @Override
  public void discard(@Nullable PreparedStatement statement) {
    cache.discard(parsed().jdbcSql(), false);
  }

  @Override
  public void release(PreparedStatement statement) {
    try {
      statement.clearBatch();
    } catch (SQLException ignored) {
      // The statement is reused from the cache; a failure here surfaces on its next use.
    }
    if (!cache.isCaching()) {
      closeQuietly(statement);
    }
  }

  @Override
  public Object logged() {
    return rows.size() + " parameter sets";
  }

  /** Values of a batch never appear in error messages. */
  @Override
  public @Nullable Params shown() {
    return null;
  }
}
