package io.asyncengine.core;

import io.asyncengine.core.internal.ParameterBinder;
import io.asyncengine.core.internal.ParsedSql;
import io.asyncengine.core.internal.ResultReader;
import io.asyncengine.core.internal.RowReading;
import io.asyncengine.core.internal.RunningStatement;
import io.asyncengine.core.internal.StatementCall;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.mapping.ResultSetMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A query opened as a server-side cursor: a statement of its own (never cached, since the cursor
 * keeps it open), set up by the dialect to fetch {@code fetchSize} rows at a time. The cursor it
 * returns owns the statement from then on and reads its rows with the reader {@code reading} plans.
 */
final class CursorCall<T> extends StatementCall<ResultSetCursor<T>> {

  private final SqlConnection connection;
  private final Connection jdbc;
  private final Dialect dialect;
  private final int fetchSize;
  private final ParameterBinder binder;
  private final RunningStatement running;
  private final Params params;
  private final @Nullable Object[] values;
  private @Nullable ResultSet resultSet;
  private final RowReading<T> reading;
  private @Nullable ResultSetCursor<T> cursor;

  CursorCall(SqlConnection connection, Connection jdbc, Dialect dialect, int fetchSize, ParameterBinder binder,
      RunningStatement running, ParsedSql parsed, Params params, @Nullable Object[] values, RowReading<T> reading) {
    super("stream", parsed);
    this.connection = connection;
    this.jdbc = jdbc;
    this.dialect = dialect;
    this.fetchSize = fetchSize;
    this.binder = binder;
    this.running = running;
    this.params = params;
    this.values = values;
    this.reading = reading;
  }

  @Override
  public PreparedStatement prepare() throws SQLException {
    PreparedStatement statement =
        jdbc.prepareStatement(parsed().jdbcSql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    try {
      dialect.prepareForStreaming(statement, fetchSize);
      return statement;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(statement);
      throw e;
    }
  }

  @Override
  public void bind(PreparedStatement statement) throws SQLException {
    binder.bind(statement, values, parsed().original());
  }

  @Override
  public void execute(PreparedStatement statement) throws SQLException {
    resultSet = statement.executeQuery();
  }

  @Override
  public ResultSetCursor<T> read(PreparedStatement statement) throws SQLException {
    ColumnLabels labels = ResultReader.labels(resultSet);
    ResultSetMapper<T> reader = reading.plan(resultSet.getMetaData(), labels, dialect.strictColumnTypes());
    cursor = new ResultSetCursor<>(connection, jdbc, dialect, running, parsed().original(), statement, resultSet,
        labels, reader);
    return cursor;
  }

  @Override
  public void discard(@Nullable PreparedStatement statement) {
    if (statement != null) {
      closeQuietly(statement);
    }
  }

  /** Closes the statement when no cursor took it (a cancel or a binding failure before the query ran). */
  @Override
  public void release(PreparedStatement statement) {
    if (cursor == null) {
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

  @Override
  public String outcome() {
    return "cursor open";
  }
}
