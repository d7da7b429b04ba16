package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Result;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a statement whose result is buffered: the rows of a query, or the update count
 * and generated keys of DML. The statement comes from the connection's cache.
 */
public final class ExecuteCall extends StatementCall<Result> {

  private final StatementCache cache;
  private final ParameterBinder binder;
  private final Params params;
  private final @Nullable Object[] values;
  private @Nullable ResultSet queried;
  private boolean hasRows;

  /** The execution of {@code parsed} with {@code values}, ordered from {@code params}. */
  public ExecuteCall(ParsedSql parsed, Params params, @Nullable Object[] values, StatementCache cache,
      ParameterBinder binder) {
    super("execute", parsed);
    this.cache = cache;
    this.binder = binder;
    this.params = params;
    this.values = values;
  }

  @Override
  public PreparedStatement prepare() throws SQLException {
    return cache.prepare(parsed().jdbcSql(), parsed().generatedKeys());
  }

  @Override
  public void bind(PreparedStatement statement) throws SQLException {
    binder.bind(statement, values, parsed().original());
  }

  /**
   * {@code executeQuery} for a plain SELECT: sqlite-jdbc's generic {@code execute()} scans the SQL
   * for generated keys with a regex on every call.
   */
  @Override
  public void execute(PreparedStatement statement) throws SQLException {
    if (parsed().query()) {
      queried = statement.executeQuery();
      hasRows = true;
    } else {
      hasRows = statement.execute();
    }
  }

  @Override
  public Result read(PreparedStatement statement) throws SQLException {
    if (hasRows) {
      try (ResultSet resultSet = queried != null ? queried : statement.getResultSet()) {
        ColumnLabels labels = cache.labels(statement, resultSet);
        return new Result(labels, ResultReader.readAll(resultSet, labels), -1, null);
      }
    }
    long count = statement.getUpdateCount();
    Result keys = null;
    if (parsed().generatedKeys()) {
      try (ResultSet generated = statement.getGeneratedKeys()) {
        ColumnLabels labels = ResultReader.labels(generated);
        keys = new Result(labels, ResultReader.readAll(generated, labels), -1, null);
      }
    }
    return new Result(ColumnLabels.empty(), List.of(), count, keys);
  }

  @Override
  public void discard(@Nullable PreparedStatement statement) {
    cache.discard(parsed().jdbcSql(), parsed().generatedKeys());
  }

  @Override
  public void release(PreparedStatement statement) {
    if (!cache.isCaching()) {
      closeQuietly(statement);
    }
  }

  @Override
  public Object logged() {
    return params;
  }

  @Override
  public Params shown() {
    return params;
  }
}
