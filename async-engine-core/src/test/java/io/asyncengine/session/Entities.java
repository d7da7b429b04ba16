package io.asyncengine.session;

import io.asyncengine.core.Engine;
import io.asyncengine.mapping.Column;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Transient;
import io.asyncengine.mapping.Version;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.time.LocalDateTime;

/** The entities and tables of the session tests; tables are prefixed so parallel suites do not collide. */
final class Entities {

  private Entities() {}

  /** A record entity on session_users (generated id). */
  @Table("session_users")
  record User(Long id, String name, String email) {}

  /** A POJO entity on the same table. */
  @Table("session_users")
  static final class Person {
    private Long id;
    private String name;
    private String email;
    private LocalDateTime createdAt;
    private Boolean active;
    @Transient private String note = "not stored";

    Person() {}

    Person(String name, String email) {
      this.name = name;
      this.email = email;
    }

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getEmail() {
      return email;
    }

    public void setEmail(String email) {
      this.email = email;
    }

    public LocalDateTime getCreatedAt() {
      return createdAt;
    }

    public void setCreatedAt(LocalDateTime createdAt) {
      this.createdAt = createdAt;
    }

    public Boolean getActive() {
      return active;
    }

    public void setActive(Boolean active) {
      this.active = active;
    }

    String note() {
      return note;
    }
  }

  /**
   * A POJO whose column name sits on its setter: the session writes and reads the column the row
   * mapper fills ({@code email}), not {@code mail}.
   */
  @Table("session_users")
  static final class Contact {
    private Long id;
    private String name;
    private String mail;

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getMail() {
      return mail;
    }

    @Column("email")
    public void setMail(String mail) {
      this.mail = mail;
    }
  }

  /** A versioned POJO. */
  @Table("session_account")
  static final class Account {
    private Long id;
    private String owner;
    private long balance;
    @Version private long version;

    Account() {}

    Account(String owner, long balance) {
      this.owner = owner;
      this.balance = balance;
    }

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public String getOwner() {
      return owner;
    }

    public void setOwner(String owner) {
      this.owner = owner;
    }

    public long getBalance() {
      return balance;
    }

    public void setBalance(long balance) {
      this.balance = balance;
    }

    public long getVersion() {
      return version;
    }

    public void setVersion(long version) {
      this.version = version;
    }
  }

  /** A versioned record on the same table. */
  @Table("session_account")
  record Ledger(Long id, String owner, long balance, @Version long version) {}

  /** A record with an application-assigned string id. */
  @Table("session_tag")
  record Tag(@Id String code, @Column("label") String text) {}

  /** Named by convention: table session_user_account, columns display_name and created_at. */
  record SessionUserAccount(Long id, String displayName, LocalDateTime createdAt) {}

  /** A hostile table name: must be rejected, never reach SQL. */
  @Table("session_users; drop table session_users; --")
  record Hostile(Long id, String name) {}

  /** No id at all. */
  record NoId(String name) {}

  private static final java.util.Set<TestDatabase> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Creates every table of these tests, empty. Server databases get the DDL once per test run and
   * are emptied afterwards, which is much faster than DDL per test (SQLite files are new anyway).
   */
  static void create(Engine engine, TestDatabase db) {
    if (db != TestDatabase.SQLITE && CREATED.contains(db)) {
      try (var connection = engine.connect()) {
        for (String table : new String[] {"session_users", "session_account", "session_tag", "session_user_account"}) {
          connection.execute("delete from " + table);
        }
        connection.commit();
      }
      return;
    }
    String id = switch (db) {
      case SQLITE -> "id integer primary key autoincrement";
      case POSTGRESQL -> "id bigserial primary key";
      case MARIADB -> "id bigint auto_increment primary key";
    };
    String timestamp = db == TestDatabase.MARIADB ? "datetime(6)" : "timestamp";
    Schema.recreate(engine, "session_users", "create table session_users (" + id
        + ", name varchar(200) not null, email varchar(100) unique, created_at " + timestamp
        + ", active boolean)");
    Schema.recreate(engine, "session_account", "create table session_account (" + id
        + ", owner varchar(50), balance bigint not null, version bigint not null)");
    Schema.recreate(engine, "session_tag",
        "create table session_tag (code varchar(20) primary key, label varchar(50))");
    Schema.recreate(engine, "session_user_account", "create table session_user_account (" + id
        + ", display_name varchar(50), created_at " + timestamp + ")");
    CREATED.add(db);
  }
}
