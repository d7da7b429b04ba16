package io.asyncengine;

import io.asyncengine.core.Engine;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;

/** A versioned entity on {@code listener_accounts}, the table of the listener and translation tests' sessions. */
@Table("listener_accounts")
final class ListenerAccount {
  private Long id;
  private String owner;
  private long balance;
  @Version private long version;

  ListenerAccount() {}

  ListenerAccount(String owner, long balance) {
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

  /** (Re)creates {@code listener_accounts}: generated id, unique owner, version column. */
  static void recreate(Engine engine, TestDatabase db) {
    String id = switch (db) {
      case SQLITE -> "id integer primary key autoincrement";
      case POSTGRESQL -> "id bigserial primary key";
      case MARIADB -> "id bigint auto_increment primary key";
    };
    Schema.recreate(engine, "listener_accounts", "create table listener_accounts (" + id
        + ", owner varchar(100) not null unique, balance bigint not null, version bigint not null)");
  }
}
