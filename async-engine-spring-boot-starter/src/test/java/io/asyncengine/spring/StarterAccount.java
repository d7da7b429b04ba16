package io.asyncengine.spring;

import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;

/** A versioned entity on {@code starter_accounts}, the table of the starter's session tests. */
@Table("starter_accounts")
public final class StarterAccount {
  private Long id;
  private String owner;
  private long balance;
  @Version private long version;

  public StarterAccount() {}

  public StarterAccount(String owner, long balance) {
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

  /** The DDL of {@code starter_accounts} for a dialect name. */
  static String ddl(String dialect) {
    return switch (dialect) {
      case "postgresql" -> "create table starter_accounts (id bigserial primary key, owner varchar(100) not null, "
          + "balance bigint not null, version bigint not null)";
      case "mariadb" -> "create table starter_accounts (id bigint auto_increment primary key, owner varchar(100) not null, "
          + "balance bigint not null, version bigint not null)";
      default -> "create table starter_accounts (id integer primary key autoincrement, owner text not null, "
          + "balance bigint not null, version bigint not null)";
    };
  }
}
