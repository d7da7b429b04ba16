package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.MappingException;
import io.asyncengine.mapping.internal.ColumnRead;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.mapping.ResultSetMapper;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/**
 * The typed streaming path ({@code stream(Class, ...)}, {@code stream(ResultSetMapper, ...)},
 * {@code streamScalars}) gives exactly what the {@code Row} path gives: the same objects for every
 * supported column type and NULLs, the same {@link MappingException} naming the column, through the
 * blocking core and the async publisher; typed getters are really used where the database keeps
 * column types; an early cancel still releases the cursor.
 */
class TypedStreamTest {

  private static final String TABLE = "typedstream_values";
  private static final String SELECT =
      "select id, big, small, ratio, amount, name, day, stamp, flag, level from " + TABLE + " order by id";

  enum Level { LOW, HIGH }

  /** Every column, boxed so NULLs map. */
  record Values(Long id, Long big, Integer small, Double ratio, BigDecimal amount, String name,
      LocalDate day, LocalDateTime stamp, Boolean flag, Level level) {}

  /** The columns with the getters the typed path specializes, primitives where it can. */
  record Primitives(long id, long big, int small, double ratio, String name, boolean flag) {}

  /** A public POJO: mapped by setters. */
  public static final class Bean {
    private long big;
    private String name;

    public void setBig(long big) {
      this.big = big;
    }

    public void setName(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return big + "/" + name;
    }
  }

  record OneLong(long id) {}

  record OneInt(int small) {}

  private AsyncEngine engine;
  private AsyncConnection conn;

  @AfterEach
  void dispose() {
    if (conn != null) {
      try {
        conn.close().handle((value, failure) -> null).get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported by the test that left it stuck
      }
    }
    if (engine != null) {
      engine.close();
    }
  }

  private void seed(TestDatabase db) {
    engine = db.engine(builder -> builder.options(ExecutionOptions.defaults().withFetchSize(2)));
    String ddl = switch (db) {
      case SQLITE -> "create table " + TABLE + " (id integer primary key, big integer, small integer, ratio double,"
          + " amount numeric, name varchar(50), day text, stamp text, flag boolean, level text)";
      case POSTGRESQL -> "create table " + TABLE + " (id bigint primary key, big bigint, small integer,"
          + " ratio double precision, amount numeric(10,2), name varchar(50), day date, stamp timestamp,"
          + " flag boolean, level text)";
      case MARIADB -> "create table " + TABLE + " (id bigint primary key, big bigint, small int, ratio double,"
          + " amount decimal(10,2), name varchar(50), day date, stamp datetime, flag tinyint(1), level varchar(10))";
    };
    Schema.recreate(engine.sync(), TABLE, ddl);
    String flagTrue = db == TestDatabase.SQLITE || db == TestDatabase.MARIADB ? "1" : "true";
    String flagFalse = db == TestDatabase.SQLITE || db == TestDatabase.MARIADB ? "0" : "false";
    try (SqlConnection sync = engine.sync().connect()) {
      sync.execute("insert into " + TABLE + " values (1, 9000000000, 42, 2.5, 12.50, 'ann', '2024-01-02',"
          + " '2024-01-02 10:11:12', " + flagTrue + ", 'HIGH')");
      sync.execute("insert into " + TABLE + " (id) values (2)");
      sync.execute("insert into " + TABLE + " values (3, -1, -7, 0.0, 0, '', '1999-12-31', '1999-12-31 23:59:59', "
          + flagFalse + ", 'low')");
      for (int i = 4; i <= 9; i++) {
        sync.execute("insert into " + TABLE + " values (?, ?, ?, ?, ?, ?, '2024-01-02', '2024-01-02 10:11:12', "
            + flagTrue + ", 'LOW')", i, i * 1000L, i, i / 4.0, i, "name" + i);
      }
      sync.commit();
    }
    conn = await(engine.connect());
  }

  /** What the Row path gives: {@code stream(sql)} and {@code Row.as}. */
  private <T> List<T> viaRows(Class<T> type, String sql) {
    try (SqlConnection sync = engine.sync().connect(); Stream<Row> rows = sync.stream(sql)) {
      return rows.map(row -> row.as(type)).toList();
    }
  }

  private <T> List<T> viaTypedSync(Class<T> type, String sql) {
    try (SqlConnection sync = engine.sync().connect(); Stream<T> rows = sync.stream(type, sql)) {
      return rows.toList();
    }
  }

  private static <T> List<T> collect(Flow.Publisher<T> publisher) {
    List<T> items = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<T>() {
      private Flow.Subscription subscription;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(3); // a little at a time, so the bulk demand accounting is exercised
      }

      @Override
      public void onNext(T item) {
        items.add(item);
        if (items.size() % 3 == 0) {
          subscription.request(3);
        }
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    await(done);
    return new ArrayList<>(items);
  }

  @DatabaseTest
  void everyColumnTypeAndNullMapsAsTheRowPathMapsIt(TestDatabase db) {
    seed(db);
    List<Values> expected = viaRows(Values.class, SELECT);
    assertThat(expected).hasSize(9);
    assertThat(expected.get(0).big()).isEqualTo(9_000_000_000L);
    assertThat(expected.get(0).name()).isEqualTo("ann");
    assertThat(expected.get(1).big()).isNull();
    assertThat(expected.get(1).name()).isNull();

    assertThat(viaTypedSync(Values.class, SELECT)).isEqualTo(expected);
    assertThat(collect(conn.stream(Values.class, SELECT))).isEqualTo(expected);

    String nonNull = SELECT.replace(" order by", " where id <> 2 order by");
    List<Primitives> primitives = viaRows(Primitives.class, nonNull);
    assertThat(primitives).hasSize(8);
    assertThat(primitives.get(0)).isEqualTo(new Primitives(1, 9_000_000_000L, 42, 2.5, "ann", true));
    assertThat(viaTypedSync(Primitives.class, nonNull)).isEqualTo(primitives);
    assertThat(collect(conn.stream(Primitives.class, nonNull))).isEqualTo(primitives);

    // A POJO and a simple type (one column).
    String beanSql = "select big, name from " + TABLE + " where id <> 2 order by id";
    assertThat(viaTypedSync(Bean.class, beanSql).toString()).isEqualTo(viaRows(Bean.class, beanSql).toString());
    String oneColumn = "select stamp from " + TABLE + " order by id";
    assertThat(viaTypedSync(LocalDateTime.class, oneColumn)).isEqualTo(viaRows(LocalDateTime.class, oneColumn));
  }

  @DatabaseTest
  void streamScalarsReadsTheFirstColumnAsRowGetDoes(TestDatabase db) {
    seed(db);
    String sql = "select big, name from " + TABLE + " where id <> 2 order by id";
    List<Long> expected;
    try (SqlConnection sync = engine.sync().connect(); Stream<Row> rows = sync.stream(sql)) {
      expected = rows.map(row -> row.get(0, Long.class)).toList();
    }
    assertThat(expected).hasSize(8).contains(9_000_000_000L);
    try (SqlConnection sync = engine.sync().connect(); Stream<Long> values = sync.streamScalars(Long.class, sql)) {
      assertThat(values.toList()).isEqualTo(expected);
    }
    assertThat(collect(conn.streamScalars(Long.class, sql))).isEqualTo(expected);
  }

  @DatabaseTest
  void typedGettersAreUsedWhereTheDatabaseKeepsColumnTypes(TestDatabase db) throws Exception {
    seed(db);
    try (SqlConnection sync = engine.sync().connect();
         PreparedStatement statement = sync.jdbc().prepareStatement("select big, small, ratio, name, day from " + TABLE);
         ResultSet resultSet = statement.executeQuery()) {
      ResultSetMetaData metadata = resultSet.getMetaData();
      boolean strict = engine.dialect().strictColumnTypes();
      assertThat(strict).isEqualTo(db != TestDatabase.SQLITE);
      assertThat(ColumnRead.plan(metadata, 0, long.class, strict, "").typed()).isEqualTo(strict);
      assertThat(ColumnRead.plan(metadata, 1, Integer.class, strict, "").typed()).isEqualTo(strict);
      assertThat(ColumnRead.plan(metadata, 2, double.class, strict, "").typed()).isEqualTo(strict);
      assertThat(ColumnRead.plan(metadata, 3, String.class, strict, "").typed()).isEqualTo(strict);
      // No typed getter for a date: getObject and the converter, as in the Row path.
      assertThat(ColumnRead.plan(metadata, 4, LocalDate.class, strict, "").typed()).isFalse();
    }
  }

  /** Both paths fail on {@code sql} read as {@code type} with the same message, naming {@code column}. */
  private <T> void assertSameFailure(Class<T> type, String sql, String column) {
    Throwable rowPath = catchThrowable(() -> viaRows(type, sql));
    assertThat(rowPath).isInstanceOf(MappingException.class).hasMessageContaining("'" + column + "'");
    Throwable typed = catchThrowable(() -> viaTypedSync(type, sql));
    assertThat(typed).isInstanceOf(MappingException.class).hasMessage(rowPath.getMessage());
    Throwable async = failure(new CompletableFuture<Void>().completeAsync(() -> {
      collect(conn.stream(type, sql));
      return null;
    }));
    assertThat(async).isInstanceOf(MappingException.class).hasMessage(rowPath.getMessage());
  }

  @DatabaseTest
  void conversionFailuresNameTheColumnAsTheRowPathDoes(TestDatabase db) {
    seed(db);
    // NULL into a primitive, on the row after a good one (the first row is emitted before the failure).
    assertSameFailure(Primitives.class, SELECT.replace(" order by", " where id <= 2 order by"), "big");
    // Text that is no number, into a long.
    assertSameFailure(OneLong.class, "select name as id from " + TABLE + " where id = 1", "id");
    // An integer too large for an int.
    assertSameFailure(OneInt.class, "select big as small from " + TABLE + " where id = 1", "small");
    // Rows before the failing one arrive first.
    List<Object> seen = new ArrayList<>();
    try (SqlConnection sync = engine.sync().connect();
         Stream<Primitives> rows = sync.stream(Primitives.class, SELECT.replace(" order by", " where id <= 2 order by"))) {
      assertThatThrownBy(() -> rows.forEach(seen::add)).isInstanceOf(MappingException.class);
    }
    assertThat(seen).hasSize(1);
  }

  @DatabaseTest
  void aHandWrittenMapperReadsTheResultSet(TestDatabase db) {
    seed(db);
    ResultSetMapper<String> mapper = rs -> rs.getLong(1) + ":" + rs.getString(2);
    String sql = "select id, name from " + TABLE + " where id in (1, 3) order by id";
    try (SqlConnection sync = engine.sync().connect(); Stream<String> rows = sync.stream(mapper, sql)) {
      assertThat(rows.toList()).containsExactly("1:ann", "3:");
    }
    assertThat(collect(conn.stream(mapper, sql))).containsExactly("1:ann", "3:");

    // The driver's failure in the mapper is a database error, translated, naming the SQL.
    ResultSetMapper<String> broken = rs -> rs.getString(99);
    Throwable failed = failure(CompletableFuture.supplyAsync(() -> collect(conn.stream(broken, sql))));
    assertThat(failed).isInstanceOf(AsyncEngineException.class);
    assertThat(((AsyncEngineException) failed).sql()).contains(TABLE);
    // A publisher cannot emit null.
    Throwable nulls = failure(CompletableFuture.supplyAsync(() -> collect(conn.stream(rs -> null, sql))));
    assertThat(nulls).isInstanceOf(InvalidRequestException.class);
    // The connection goes on.
    assertThat(await(conn.scalar(Integer.class, "select 1"))).isEqualTo(1);
  }

  @DatabaseTest
  void anEarlyCancelReleasesTheCursor(TestDatabase db) throws Exception {
    seed(db);
    CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    List<Primitives> items = new CopyOnWriteArrayList<>();
    String nonNull = SELECT.replace(" order by", " where id <> 2 order by");
    conn.stream(Primitives.class, nonNull).subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscribed.complete(s);
        s.request(2);
      }

      @Override
      public void onNext(Primitives item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable throwable) {
        items.clear();
      }

      @Override
      public void onComplete() {
        items.clear();
      }
    });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (items.size() < 2 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(items).hasSize(2);
    await(subscribed).cancel();
    assertThat(await(conn.scalar(Long.class, "select count(*) from " + TABLE))).isEqualTo(9);
    assertThat(items).hasSize(2);
    await(conn.close());
    conn = null;
    end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(engine.gateStats().inUse()).as("gate permits in use").isZero();
  }
}
