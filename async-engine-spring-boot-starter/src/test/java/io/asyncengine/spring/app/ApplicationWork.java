package io.asyncengine.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * What each @SpringBootTest context does with the starter's two beans: DDL and inserts through the
 * engine, an entity saved, read and updated through sessions, the executor mode, the health
 * indicator and the gate gauges. Tables: {@code starter_boot_notes}, {@code starter_boot_accounts}.
 */
abstract class ApplicationWork {

  @Autowired AsyncEngine engine;
  @Autowired AsyncSessionFactory sessions;
  @Autowired MeterRegistry registry;
  @Autowired HealthIndicator asyncEngineHealthContributor;

  abstract String database();

  abstract ExecutorMode expectedMode();

  @Test
  void engineRunsTransactionsAndQueries() {
    engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_boot_notes")).join();
    engine.runSyncInTransaction(c -> c.execute("create table starter_boot_notes (id integer primary key, body varchar(50))"))
        .join();
    engine.inTransaction(c -> c.execute("insert into starter_boot_notes (id, body) values (?, ?)", 1, "one")
        .thenCompose(r -> c.execute("insert into starter_boot_notes (id, body) values (?, ?)", 2, "two"))).join();
    List<String> bodies = engine.runSync(c -> c.scalars(String.class, "select body from starter_boot_notes order by id"))
        .join();
    assertThat(bodies).containsExactly("one", "two");
  }

  @Test
  void sessionsSaveReadAndUpdateAnEntity() {
    engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_boot_accounts")).join();
    engine.runSyncInTransaction(c -> c.execute(ddl())).join();
    BootAccount account = new BootAccount("ada", 100);
    sessions.inTransaction(session -> {
      session.add(account);
      return session.flush();
    }).join();
    assertThat(account.getId()).isNotNull();
    try (AsyncSession session = sessions.openSession()) {
      BootAccount loaded = session.getOne(BootAccount.class, account.getId()).join();
      assertThat(loaded.getOwner()).isEqualTo("ada");
      loaded.setBalance(150);
      session.commit().join();
      assertThat(loaded.getVersion()).isEqualTo(2);
    }
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select balance from starter_boot_accounts")).join())
        .isEqualTo(150L);
  }

  @Test
  void executorModeHealthAndGauges() {
    assertThat(engine.dialect().name()).isEqualTo(database());
    assertThat(engine.executorMode()).isEqualTo(expectedMode());
    var health = asyncEngineHealthContributor.health(true);
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("executorMode", expectedMode().name().toLowerCase());
    assertThat(registry.get("asyncengine.gate.max").gauge().value()).isPositive();
  }

  private String ddl() {
    return switch (database()) {
      case "postgresql" -> "create table starter_boot_accounts (id bigserial primary key, owner varchar(50) not null, "
          + "balance bigint not null, version bigint not null)";
      case "mariadb" -> "create table starter_boot_accounts (id bigint auto_increment primary key, "
          + "owner varchar(50) not null, balance bigint not null, version bigint not null)";
      default -> "create table starter_boot_accounts (id integer primary key autoincrement, owner text not null, "
          + "balance bigint not null, version bigint not null)";
    };
  }

  /** The entity of these contexts. */
  @Table("starter_boot_accounts")
  public static final class BootAccount {
    private Long id;
    private String owner;
    private long balance;
    @Version private long version;

    public BootAccount() {}

    BootAccount(String owner, long balance) {
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
}
