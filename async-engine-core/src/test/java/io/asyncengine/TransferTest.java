package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.internal.Futures;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.options.RetryPolicy;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Money is conserved: 20 accounts and many concurrent random transfers, each a read-modify-write
 * transaction retried by the engine's {@link RetryPolicy} when it loses a serialization conflict
 * (PostgreSQL at SERIALIZABLE, 40001) or a deadlock (MariaDB, locking reads in random order, 1213).
 * Afterwards the total is unchanged, every transfer is logged exactly once under its own id, and
 * every account's balance equals its opening balance plus what the log says it received minus
 * what it sent.
 *
 * <p>{@code -Dasyncengine.transfers} sets the number of transfers per database (default 10,000; on
 * PostgreSQL the SERIALIZABLE conflicts on 20 accounts retry most transfers about once, and
 * 10,000 took about 50 s on a loaded 2-core machine).
 * Half run through {@link AsyncEngine#inTransaction(java.util.function.Function, RetryPolicy)},
 * half through {@link AsyncSessionFactory#runInTransaction(java.util.function.Function, RetryPolicy)}.
 */
class TransferTest {

  private static final int ACCOUNTS = 20;
  private static final long OPENING = 1_000_000;
  private static final Integer TRANSFERS_SET = Integer.getInteger("asyncengine.transfers");
  private static final int IN_FLIGHT = 32;

  /** Counts retries and what caused them. */
  private static final class Retries implements EngineListener {
    final Map<String, LongAdder> byCause = new ConcurrentHashMap<>();
    final LongAdder total = new LongAdder();

    @Override
    public void retryScheduled(String kind, int nextAttempt, Throwable failure, long backoffNanos) {
      total.increment();
      byCause.computeIfAbsent(failure.getClass().getSimpleName() + " " + sqlState(failure), k -> new LongAdder())
          .increment();
    }

    private static String sqlState(Throwable failure) {
      return failure instanceof io.asyncengine.error.AsyncEngineException e ? e.sqlState() + "/" + e.vendorCode() : "";
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void concurrentRandomTransfersConserveMoneyAndApplyEachTransferExactlyOnce(TestDatabase db) throws Exception {
    Retries retries = new Retries();
    boolean postgres = db == TestDatabase.POSTGRESQL;
    int transfers = TRANSFERS_SET != null ? TRANSFERS_SET : 10_000;
    try (AsyncEngine base = db.engine(b -> b.maxPoolSize(8).minIdle(8).connectionTimeout(Duration.ofSeconds(30))
        .listener(retries))) {
      // PostgreSQL: SERIALIZABLE guards the plain read-modify-write. MariaDB: locking reads at its
      // default REPEATABLE READ; opposite lock orders deadlock.
      AsyncEngine engine = postgres
          ? base.withOptions(base.sync().options().withIsolation(IsolationLevel.SERIALIZABLE)) : base;
      String read = "select balance from transfer_accounts where id = ?" + (postgres ? "" : " for update");
      Schema.recreate(base.sync(), "transfer_log", "create table transfer_log (id integer primary key, "
          + "from_account integer not null, to_account integer not null, amount bigint not null)");
      Schema.recreate(base.sync(), "transfer_accounts",
          "create table transfer_accounts (id integer primary key, balance bigint not null)");
      base.sync().inTransaction(c -> {
        for (int id = 0; id < ACCOUNTS; id++) {
          c.execute("insert into transfer_accounts (id, balance) values (?, ?)", id, OPENING);
        }
        return null;
      });
      AsyncSessionFactory sessions = AsyncSessionFactory.builder(engine)
          .isolationLevel(postgres ? IsolationLevel.SERIALIZABLE : null).build();
      RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(100).withBackoff(Duration.ofMillis(1), Duration.ofMillis(50));

      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      AtomicInteger attempts = new AtomicInteger();
      Map<Integer, Throwable> failed = new ConcurrentHashMap<>();
      List<CompletableFuture<?>> all = new ArrayList<>(transfers);
      long start = System.nanoTime();
      for (int id = 0; id < transfers; id++) {
        int transfer = id;
        int from = ThreadLocalRandom.current().nextInt(ACCOUNTS);
        int to = (from + 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + ThreadLocalRandom.current().nextInt(1_000);
        inFlight.acquire();
        CompletableFuture<?> done = transfer % 2 == 0
            ? engine.inTransaction(conn -> {
                attempts.incrementAndGet();
                return conn.scalar(Long.class, read, from)
                    .thenCompose(fromBalance -> conn.scalar(Long.class, read, to)
                        .thenCompose(toBalance -> conn.execute(
                            "update transfer_accounts set balance = ? where id = ?", fromBalance - amount, from)
                            .thenCompose(r -> conn.execute(
                                "update transfer_accounts set balance = ? where id = ?", toBalance + amount, to))))
                    .thenCompose(r -> conn.execute("insert into transfer_log (id, from_account, to_account, amount) "
                        + "values (?, ?, ?, ?)", transfer, from, to, amount));
              }, policy)
            : sessions.runInTransaction(session -> {
                attempts.incrementAndGet();
                Long fromBalance = session.scalar(Long.class, read, from);
                Long toBalance = session.scalar(Long.class, read, to);
                session.execute("update transfer_accounts set balance = ? where id = ?", fromBalance - amount, from);
                session.execute("update transfer_accounts set balance = ? where id = ?", toBalance + amount, to);
                session.execute("insert into transfer_log (id, from_account, to_account, amount) values (?, ?, ?, ?)",
                    transfer, from, to, amount);
                return null;
              }, policy);
        all.add(done.whenComplete((value, failure) -> {
          inFlight.release();
          if (failure != null) {
            failed.put(transfer, Futures.unwrap(failure));
          }
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(f -> null).get(10, TimeUnit.MINUTES);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      long total = base.sync().inTransaction(c -> c.scalar(Long.class, "select sum(balance) from transfer_accounts"));
      long logged = base.sync().inTransaction(c -> c.scalar(Long.class, "select count(*) from transfer_log"));
      long distinct = base.sync().inTransaction(c -> c.scalar(Long.class, "select count(distinct id) from transfer_log"));
      Map<Integer, Long> expected = new HashMap<>();
      Map<Integer, Long> actual = new HashMap<>();
      base.sync().inTransaction((SqlConnection c) -> {
        for (int id = 0; id < ACCOUNTS; id++) {
          Long in = c.scalar(Long.class, "select coalesce(sum(amount), 0) from transfer_log where to_account = ?", id);
          Long out = c.scalar(Long.class, "select coalesce(sum(amount), 0) from transfer_log where from_account = ?", id);
          expected.put(id, OPENING + in - out);
          actual.put(id, c.scalar(Long.class, "select balance from transfer_accounts where id = ?", id));
        }
        return null;
      });

      String figures = String.format("transfers [%s%s]: %d transfers over %d accounts, %d in flight, pool 8: "
              + "%d ms (%.0f/s); %d attempts, %d retries by cause %s; %d failed; logged %d (distinct %d); "
              + "total %d (expected %d)",
          db, postgres ? ", SERIALIZABLE" : ", REPEATABLE READ + FOR UPDATE", transfers, ACCOUNTS, IN_FLIGHT, millis,
          transfers * 1000.0 / Math.max(1, millis), attempts.get(), retries.total.sum(), retries.byCause, failed.size(),
          logged, distinct, total, OPENING * ACCOUNTS);
      System.out.println(figures);
      Path file = Path.of("target", "transfers.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, figures + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);

      assertThat(failed).as("transfers that failed for good").isEmpty();
      assertThat(total).as("money is conserved").isEqualTo(OPENING * ACCOUNTS);
      assertThat(logged).as("each transfer logged once").isEqualTo(transfers);
      assertThat(distinct).isEqualTo(transfers);
      assertThat(actual).as("each balance is its opening plus the logged transfers").isEqualTo(expected);
      assertThat(retries.total.sum()).as("conflicts happened and were retried").isPositive();
      assertThat((long) attempts.get()).isEqualTo(transfers + retries.total.sum());
      Schema.drop(base.sync(), "transfer_log");
      Schema.drop(base.sync(), "transfer_accounts");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
