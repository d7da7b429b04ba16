package io.asyncengine;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.core.Params;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.MultipleResultsException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Results (SQLAlchemy's Result API) on every database, including mapping to records and POJOs. */
class ResultTest {

  /** The demo's user model plus two typed columns. */
  record User(long id, String name, String email, LocalDateTime createdAt, Boolean active) {}

  /** A POJO with setters and a field-only property. */
  static final class UserBean {
    private long id;
    private String name;
    String email;

    public void setId(long id) {
      this.id = id;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  private AsyncEngine engine;
  private AsyncConnection conn;

  private AsyncConnection seeded(TestDatabase db) {
    engine = db.engine();
    Schema.users(engine.sync(), db);
    conn = await(engine.connect());
    await(conn.executeMany("insert into users(name, email, created_at, active) values (?, ?, ?, ?)", List.of(
        Params.of("ada", "ada@example.com", LocalDateTime.of(2024, 1, 2, 10, 11, 12), true),
        Params.of("bob", "bob@example.com", LocalDateTime.of(2024, 2, 3, 4, 5, 6), false),
        Params.of("cy", null, null, null))));
    await(conn.commit());
    return conn;
  }

  @AfterEach
  void dispose() {
    if (conn != null) {
      await(conn.close());
    }
    if (engine != null) {
      engine.close();
    }
  }

  @DatabaseTest
  void allFirstOneAndOneOrNone(TestDatabase db) {
    seeded(db);
    Result all = await(conn.execute("select name from users order by name"));
    assertThat(all.all()).hasSize(3);
    assertThat(all.first()).map(r -> r.get(0)).contains("ada");
    assertThatThrownBy(all::one).isInstanceOf(MultipleResultsException.class).hasMessageContaining("3");
    assertThatThrownBy(all::oneOrNone).isInstanceOf(MultipleResultsException.class);
    Result none = await(conn.execute("select name from users where name = ?", "zed"));
    assertThat(none.first()).isEmpty();
    assertThat(none.oneOrNone()).isEmpty();
    assertThatThrownBy(none::one).isInstanceOf(NoResultException.class).hasMessageContaining("No row");
    assertThat(await(conn.execute("select name from users where name = ?", "bob")).one().get("name")).isEqualTo("bob");
  }

  @DatabaseTest
  void scalarAccessors(TestDatabase db) {
    seeded(db);
    Result names = await(conn.execute("select name, id from users order by name"));
    assertThat(names.scalar()).isEqualTo("ada");
    assertThat(names.scalar(String.class)).isEqualTo("ada");
    assertThat(names.scalars(String.class)).containsExactly("ada", "bob", "cy");
    assertThat(names.scalars()).containsExactly("ada", "bob", "cy");
    assertThatThrownBy(() -> names.scalarOne(String.class)).isInstanceOf(MultipleResultsException.class);
    Result one = await(conn.execute("select count(*) from users"));
    assertThat(one.scalarOne(Integer.class)).isEqualTo(3);
    assertThat(one.scalarOneOrNone(Long.class)).contains(3L);
    Result empty = await(conn.execute("select id from users where 1 = 0"));
    assertThat(empty.scalar(Long.class)).isNull();
    assertThat(empty.scalarOneOrNone(Long.class)).isEmpty();
    assertThatThrownBy(() -> empty.scalarOne(Long.class)).isInstanceOf(NoResultException.class);
  }

  @DatabaseTest
  void mappingsKeysColumnsUniqueAndPartitions(TestDatabase db) {
    seeded(db);
    Result result = await(conn.execute("select name, email from users order by name"));
    assertThat(result.keys()).containsExactly("name", "email");
    assertThat(result.mappings().get(0)).containsEntry("name", "ada").containsEntry("email", "ada@example.com");
    assertThat(result.columns("email").keys()).containsExactly("email");
    assertThat(result.columns(1, 0).all().get(0).values()).containsExactly("ada@example.com", "ada");
    assertThatThrownBy(() -> result.columns("nope")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nope").hasMessageContaining("name, email");
    List<List<Row>> parts = new ArrayList<>();
    result.partitions(2).forEach(parts::add);
    assertThat(parts).extracting(List::size).containsExactly(2, 1);
    Result doubled = await(conn.execute("select active from users where active is not null union all select active from users where active is not null"));
    assertThat(doubled.size()).isEqualTo(4);
    assertThat(doubled.unique().size()).isEqualTo(2);
  }

  @DatabaseTest
  void aDuplicatedLabelReadsItsFirstColumnEvenWhenThatIsNull(TestDatabase db) {
    seeded(db);
    Row row = await(conn.execute("select email as x, name as x from users where name = ?", "cy")).one();
    assertThat(row.get(0)).isNull(); // cy has no email
    assertThat(row.get("x")).isNull();
    assertThat(row.asMap()).containsEntry("x", null).hasSize(1);
  }

  @DatabaseTest
  void rowAccessByIndexLabelAndType(TestDatabase db) {
    seeded(db);
    Row row = await(conn.execute("select id, name as user_name, created_at from users where name = ?", "ada")).one();
    assertThat(row.get(1)).isEqualTo("ada");
    assertThat(row.get("user_name")).isEqualTo("ada");
    assertThat(row.get("USER_NAME")).isEqualTo("ada");
    assertThat(row.get("id", Long.class)).isPositive();
    assertThat(row.get(2, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(row.asMap()).containsOnlyKeys("id", "user_name", "created_at");
    assertThatThrownBy(() -> row.get(3)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> row.get("missing")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("missing");
  }

  @DatabaseTest
  void rowsMapToRecordsWithDatesAndBooleansOnEveryDatabase(TestDatabase db) {
    seeded(db);
    List<User> users = await(conn.execute("select * from users order by name")).as(User.class);
    assertThat(users).hasSize(3);
    User ada = users.get(0);
    assertThat(ada.name()).isEqualTo("ada");
    assertThat(ada.createdAt()).isEqualTo(LocalDateTime.of(2024, 1, 2, 10, 11, 12));
    assertThat(ada.active()).isTrue();
    assertThat(users.get(1).active()).isFalse();
    assertThat(users.get(2).email()).isNull();
    assertThat(users.get(2).active()).isNull();
  }

  @DatabaseTest
  void rowsMapToPojosAndThroughRowMappers(TestDatabase db) {
    seeded(db);
    Result result = await(conn.execute("select id, name, email from users order by name"));
    List<UserBean> beans = result.as(UserBean.class);
    assertThat(beans).extracting(b -> b.name).containsExactly("ada", "bob", "cy");
    assertThat(beans.get(0).email).isEqualTo("ada@example.com");
    assertThat(beans.get(0).id).isPositive();
    assertThat(result.map(row -> row.get("name", String.class).toUpperCase())).containsExactly("ADA", "BOB", "CY");
    assertThat(result.all().get(1).as(UserBean.class).name).isEqualTo("bob");
  }

  @DatabaseTest
  void dmlResultsCarryRowCountsAndNoRows(TestDatabase db) {
    seeded(db);
    Result update = await(conn.execute("update users set active = ? where active is null", true));
    assertThat(update.rowCount()).isEqualTo(1);
    assertThat(update.isEmpty()).isTrue();
    assertThat(update.keys()).isEmpty();
    Result delete = await(conn.execute("delete from users"));
    assertThat(delete.rowCount()).isEqualTo(3);
  }
}
