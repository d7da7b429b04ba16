package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.AsyncSessionTransaction;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.core.Params;
import io.asyncengine.core.PoolStatus;
import io.asyncengine.error.ConcurrentSessionUseException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The cancellation sweep: every asynchronous method of {@code AsyncEngine}, {@code AsyncConnection},
 * {@code AsyncTransaction}, {@code AsyncSession} and {@code AsyncSessionFactory}, inside chains of
 * them, with one step cancelled: each step of each chain in turn (every point where the chain
 * waits), at 0 µs and at random delays up to 50 ms, {@value #DEFAULT_REPETITIONS} times per step by
 * default ({@code -Dasyncengine.sweep.repetitions=N} for more). A step whose cancel came too late
 * completed normally, and the chain then goes on as a caller would.
 *
 * <p>After every run, whatever the cancel hit: nothing is checked out (HikariCP's active
 * connections and the admission gate's permits, within a bounded wait); a new operation succeeds at
 * once; no statement of the case is left on the server; the rows of the case's one transaction are
 * all there or none (all, when its commit reported success); and a session either commits what it
 * holds as persistent or refuses to go on until rolled back.
 *
 * <p>Cases with a defect still open are listed in {@link #OPEN_DEFECTS}:
 * their failures are counted and printed but do not fail the build. Every other failure does.
 * A per-database summary (cases, runs, failures) is printed when the class ends.
 */
class CancellationSweepTest {

  private static final int DEFAULT_REPETITIONS = 4;
  private static final int REPETITIONS = Integer.getInteger("asyncengine.sweep.repetitions", DEFAULT_REPETITIONS);
  private static final long SEED = Long.getLong("asyncengine.sweep.seed", System.nanoTime());
  /** How long a step, a follow-up or a cleanup may take before it counts as hung. */
  private static final Duration HANG = Duration.ofSeconds(10);
  /** How long the session may refuse with ConcurrentSessionUseException while cancelled work stops. */
  private static final Duration SESSION_BUSY_LIMIT = Duration.ofSeconds(3);
  /** How long the pool and the gate may take to see a cancelled connection back. */
  private static final Duration RETURN_LIMIT = Duration.ofSeconds(5);
  private static final Duration SERVER_LIMIT = Duration.ofSeconds(10);
  /** "At once", on a loaded machine. */
  private static final Duration NEXT_OPERATION_LIMIT = Duration.ofSeconds(5);
  /**
   * The statement after a stream stopped early waits for the server to end the stream's query:
   * MariaDB's KILL QUERY took up to 2 s, and under a parallel build several, on this machine. Still a
   * bound: a stream that drains its rest or hangs, the defect this guards against, never ends.
   */
  private static final Duration AFTER_STREAM_LIMIT = Duration.ofSeconds(10);

  /**
   * Cases (as {@code database:case}, or {@code *:case} for every database) with a defect still
   * open; a fix removes its entry. Each entry says what was seen.
   */
  static final Set<String> OPEN_DEFECTS = Set.of();

  @Table("sweep_rows")
  record SweepRow(@Id(generated = false) Long id, Long grp, String name) {}

  private static final AtomicLong GROUPS = new AtomicLong(1);
  private static final Map<TestDatabase, Map<String, Tally>> RESULTS = new EnumMap<>(TestDatabase.class);

  /** What one case saw over its runs. */
  static final class Tally {
    int runs;
    int failed;
    final Map<String, Integer> reasons = new TreeMap<>();
  }

  // ------------------------------------------------------------------ the chains

  /** What a chain works with; steps fill it in as they complete. */
  static final class Ctx {
    final TestDatabase db;
    final AsyncEngine engine;
    final AsyncSessionFactory factory;
    final String marker;
    final long grp;
    AsyncConnection conn;
    AsyncTransaction tx;
    AsyncTransaction nested;
    AsyncSession session;
    AsyncSessionTransaction sessionTx;
    AsyncSessionTransaction sessionNested;
    volatile Flow.Subscription subscription;
    /** Set by the stream step's cancel: a subscription that arrives later is cancelled on arrival. */
    volatile boolean streamCancelled;
    /** Rows the chain's transaction writes, counted when the writing step is called. */
    int intended;
    /** Whether the step that commits the whole transaction reported success. */
    boolean committed;
    /**
     * Whether the cancel hit a step that commits the whole transaction: a COMMIT cancelled in flight
     * may have been kept, so the session refusing afterwards leaves all the rows or none.
     */
    boolean commitCancelled;
    /** Whether a row committed before the chain (id 50 of the group) exists, outside "all or none". */
    boolean before;
    Object lastAdded;
    final List<String> problems = new ArrayList<>();

    Ctx(TestDatabase db, AsyncEngine engine, AsyncSessionFactory factory, String marker, long grp) {
      this.db = db;
      this.engine = engine;
      this.factory = factory;
      this.marker = marker;
      this.grp = grp;
    }

    long id(int n) {
      return grp * 100 + n;
    }

    String insert() {
      return "insert into sweep_rows (id, grp, name) values (?, ?, ?)";
    }

    CompletableFuture<?> insert(AsyncConnection on, int n) {
      intended++;
      return on.execute(insert(), id(n), grp, marker);
    }

    /** A statement that runs about 50 ms on the server and carries the case's marker. */
    String sleepy() {
      return switch (db) {
        case POSTGRESQL -> "select pg_sleep(0.05) as " + marker;
        case MARIADB -> "select sleep(0.05) as " + marker;
        case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 200000) select count(*) as "
            + marker + " from r";
      };
    }
  }

  /** One step: the call, what to keep of its value, and how to cancel it (the future's cancel by default). */
  record Step(String name, Function<Ctx, CompletableFuture<?>> call, BiConsumer<Ctx, Object> keep,
      BiConsumer<Ctx, CompletableFuture<?>> cancel) {

    static Step of(String name, Function<Ctx, CompletableFuture<?>> call) {
      return new Step(name, call, (c, v) -> {}, (c, f) -> f.cancel(true));
    }

    static Step keeping(String name, Function<Ctx, CompletableFuture<?>> call, BiConsumer<Ctx, Object> keep) {
      return new Step(name, call, keep, (c, f) -> f.cancel(true));
    }

    /** A step that commits the whole transaction: its success means every intended row is kept. */
    static Step commit(String name, Function<Ctx, CompletableFuture<?>> call) {
      return new Step(name, call, (c, v) -> c.committed = true, (c, f) -> f.cancel(true));
    }

    /** A step without I/O (a session's add): runs on the caller's thread; nothing to cancel. */
    static Step now(String name, java.util.function.Consumer<Ctx> body) {
      return of(name, c -> {
        body.accept(c);
        return CompletableFuture.completedFuture(null);
      });
    }
  }

  /**
   * A chain of steps and how it ends: {@code pipelined} chains submit every step at once, back to
   * back on one connection, instead of waiting for each.
   */
  record Case(String name, List<Step> steps, boolean pipelined, Follow follow) {}

  enum Follow { CONNECTION, SESSION, STREAM }

  private static Case chain(String name, Follow follow, Step... steps) {
    return new Case(name, List.of(steps), false, follow);
  }

  private static final Step CONNECT = Step.keeping("connect", c -> c.engine.connect(), (c, v) -> c.conn = (AsyncConnection) v);
  private static final Step OPEN_SESSION = Step.now("openSession", c -> c.session = c.factory.openSession());

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // AsyncEngine
    cases.add(chain("engine.connect>execute>execute>commit", Follow.CONNECTION, CONNECT,
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("execute", c -> c.insert(c.conn, 2)),
        Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("engine.begin>execute>commit", Follow.CONNECTION,
        Step.keeping("engine.begin", c -> c.engine.begin(), (c, v) -> c.conn = (AsyncConnection) v),
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("engine.inTransaction(insert,sleep,insert)", Follow.CONNECTION,
        Step.commit("engine.inTransaction", c -> {
          c.intended += 2;
          return c.engine.inTransaction(conn -> conn.execute(c.insert(), c.id(1), c.grp, c.marker)
              .thenCompose(r -> conn.execute(c.sleepy()))
              .thenCompose(r -> conn.execute(c.insert(), c.id(2), c.grp, c.marker)));
        })));
    cases.add(chain("engine.runSync(insert,sleep)", Follow.CONNECTION,
        Step.of("engine.runSync", c -> c.engine.runSync(conn -> {
          conn.execute(c.insert(), c.id(1), c.grp, c.marker); // never committed: rolled back at close
          return conn.execute(c.sleepy());
        }))));
    cases.add(chain("engine.runSyncInTransaction(insert,sleep,insert)", Follow.CONNECTION,
        Step.commit("engine.runSyncInTransaction", c -> {
          c.intended += 2;
          return c.engine.runSyncInTransaction(conn -> {
            conn.execute(c.insert(), c.id(1), c.grp, c.marker);
            conn.execute(c.sleepy());
            return conn.execute(c.insert(), c.id(2), c.grp, c.marker);
          });
        })));
    // AsyncConnection
    cases.add(chain("conn.sleep>execute>commit", Follow.CONNECTION, CONNECT,
        Step.of("execute(sleep)", c -> c.conn.execute(c.sleepy())), Step.of("execute", c -> c.insert(c.conn, 1)),
        Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("conn.executeMany>commit", Follow.CONNECTION, CONNECT,
        Step.of("executeMany", c -> {
          c.intended += 3;
          return c.conn.executeMany(c.insert(), List.of(Params.of(c.id(1), c.grp, c.marker),
              Params.of(c.id(2), c.grp, c.marker), Params.of(c.id(3), c.grp, c.marker)));
        }),
        Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("conn.scalar>scalars>close", Follow.CONNECTION, CONNECT,
        Step.of("scalar", c -> c.conn.scalar(Long.class, "select count(*) from sweep_rows where grp = ?", c.grp)),
        Step.of("scalars", c -> c.conn.scalars(Long.class, "select id from sweep_rows where grp = ?", c.grp)),
        Step.keeping("close", c -> c.conn.close(), (c, v) -> {})));
    cases.add(chain("conn.begin>execute>beginNested>execute>nested.commit>tx.commit", Follow.CONNECTION, CONNECT,
        Step.keeping("begin", c -> c.conn.begin(), (c, v) -> c.tx = (AsyncTransaction) v),
        Step.of("execute", c -> c.insert(c.conn, 1)),
        Step.keeping("beginNested", c -> c.conn.beginNested(), (c, v) -> c.nested = (AsyncTransaction) v),
        Step.of("execute", c -> c.insert(c.conn, 2)),
        Step.of("nested.commit", c -> c.nested.commit()),
        Step.commit("tx.commit", c -> c.tx.commit())));
    cases.add(chain("conn.begin>execute>tx.rollback", Follow.CONNECTION, CONNECT,
        Step.keeping("begin", c -> c.conn.begin(), (c, v) -> c.tx = (AsyncTransaction) v),
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("tx.rollback", c -> c.tx.rollback())));
    cases.add(chain("conn.begin>execute>tx.close", Follow.CONNECTION, CONNECT,
        Step.keeping("begin", c -> c.conn.begin(), (c, v) -> c.tx = (AsyncTransaction) v),
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("tx.close", c -> c.tx.close())));
    cases.add(chain("conn.execute>rollback", Follow.CONNECTION, CONNECT,
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("rollback", c -> c.conn.rollback())));
    cases.add(chain("conn.withIsolation>isolationLevel>execute>commit", Follow.CONNECTION, CONNECT,
        Step.of("withIsolation", c -> c.conn.withIsolation(IsolationLevel.SERIALIZABLE)),
        Step.of("isolationLevel", c -> c.conn.isolationLevel()),
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("conn.runSync(insert,sleep,insert)>commit", Follow.CONNECTION, CONNECT,
        Step.of("runSync", c -> {
          c.intended += 2;
          return c.conn.runSync(conn -> {
            conn.execute(c.insert(), c.id(1), c.grp, c.marker);
            conn.execute(c.sleepy());
            return conn.execute(c.insert(), c.id(2), c.grp, c.marker);
          });
        }),
        Step.commit("commit", c -> c.conn.commit())));
    cases.add(chain("conn.execute>close", Follow.CONNECTION, CONNECT,
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("close", c -> c.conn.close())));
    cases.add(chain("conn.execute>invalidate", Follow.CONNECTION, CONNECT,
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("invalidate", c -> c.conn.invalidate())));
    // Submitted back to back on one connection: cancelling one must not let the rest commit alone.
    cases.add(new Case("conn.pipelined(update,insert,insert,commit)", List.of(CONNECT,
        Step.of("execute(update)", c -> c.conn.execute("update sweep_rows set name = ? where grp = ?", "updated", c.grp)),
        Step.of("execute", c -> c.insert(c.conn, 1)), Step.of("execute", c -> c.insert(c.conn, 2)),
        Step.commit("commit", c -> c.conn.commit())), true, Follow.CONNECTION));
    // Streams: the subscription's cancel is the cancel.
    cases.add(chain("conn.stream(cancel subscription)", Follow.STREAM, CONNECT, streamStep(false)));
    cases.add(chain("conn.stream(onNext throws)", Follow.STREAM, CONNECT, streamStep(true)));
    // AsyncSession
    cases.add(chain("session.get>add>flush>commit", Follow.SESSION, OPEN_SESSION,
        Step.of("get", c -> c.session.get(SweepRow.class, c.id(9))),
        Step.now("add", c -> addRows(c, 1, 2)),
        Step.of("flush", c -> c.session.flush()),
        Step.commit("commit", c -> c.session.commit())));
    cases.add(chain("session.add>commit", Follow.SESSION, OPEN_SESSION,
        Step.now("add", c -> addRows(c, 1, 2)), Step.commit("commit", c -> c.session.commit())));
    cases.add(chain("session.execute>scalars>scalar>getOne>rollback", Follow.SESSION, OPEN_SESSION,
        Step.of("execute(sleep)", c -> c.session.execute(c.sleepy())),
        Step.of("scalars", c -> c.session.scalars(Long.class, "select id from sweep_rows where grp = ?", c.grp)),
        Step.of("scalar", c -> c.session.scalar(Long.class, "select count(*) from sweep_rows where grp = ?", c.grp)),
        Step.of("getOne", c -> c.session.get(SweepRow.class, c.id(1))),
        Step.of("rollback", c -> c.session.rollback())));
    cases.add(chain("session.begin>add>beginNested>add>nested.commit>tx.commit", Follow.SESSION, OPEN_SESSION,
        Step.keeping("begin", c -> c.session.begin(), (c, v) -> c.sessionTx = (AsyncSessionTransaction) v),
        Step.now("add", c -> addRows(c, 1, 1)),
        Step.keeping("beginNested", c -> c.session.beginNested(), (c, v) -> c.sessionNested = (AsyncSessionTransaction) v),
        Step.now("add", c -> addRows(c, 2, 2)),
        Step.of("nested.commit", c -> c.sessionNested.commit()),
        Step.commit("tx.commit", c -> c.sessionTx.commit())));
    cases.add(chain("session.add>flush>refresh>merge>commit", Follow.SESSION, OPEN_SESSION,
        Step.now("add", c -> addRows(c, 1, 1)),
        Step.of("flush", c -> c.session.flush()),
        Step.of("refresh", c -> c.session.refresh(c.lastAdded)),
        Step.of("merge", c -> {
          c.intended++;
          return c.session.merge(new SweepRow(c.id(2), c.grp, c.marker));
        }),
        Step.commit("commit", c -> c.session.commit())));
    cases.add(chain("session.runSync(add,flush,sleep)>commit", Follow.SESSION, OPEN_SESSION,
        Step.of("runSync", c -> {
          c.intended += 2;
          return c.session.runSync(s -> {
            s.add(new SweepRow(c.id(1), c.grp, c.marker));
            s.add(new SweepRow(c.id(2), c.grp, c.marker));
            s.flush();
            return s.execute(c.sleepy());
          });
        }),
        Step.commit("commit", c -> c.session.commit())));
    cases.add(chain("session.add>withoutAutoflush>commit", Follow.SESSION, OPEN_SESSION,
        Step.now("add", c -> addRows(c, 1, 2)),
        Step.of("withoutAutoflush", c -> c.session.withoutAutoflush(s -> s.execute(c.sleepy()))),
        Step.commit("commit", c -> c.session.commit())));
    cases.add(chain("session.add>flush>closeAsync", Follow.SESSION, OPEN_SESSION,
        Step.now("add", c -> addRows(c, 1, 1)), Step.of("flush", c -> c.session.flush()),
        Step.of("closeAsync", c -> c.session.closeAsync())));
    cases.add(chain("session.add>flush>stream(cancel subscription)", Follow.SESSION, OPEN_SESSION,
        Step.now("add", c -> addRows(c, 1, 1)), Step.of("flush", c -> c.session.flush()), sessionStreamStep()));
    // AsyncSessionFactory
    cases.add(chain("factory.inTransaction(add,flush,sleep)", Follow.CONNECTION,
        Step.commit("factory.inTransaction", c -> {
          c.intended += 2;
          return c.factory.inTransaction(s -> {
            s.add(new SweepRow(c.id(1), c.grp, c.marker));
            s.add(new SweepRow(c.id(2), c.grp, c.marker));
            return s.flush().thenCompose(v -> s.execute(c.sleepy()));
          });
        })));
    cases.add(chain("factory.runInTransaction(add,flush,sleep)", Follow.CONNECTION,
        Step.commit("factory.runInTransaction", c -> {
          c.intended += 2;
          return c.factory.runInTransaction(s -> {
            s.add(new SweepRow(c.id(1), c.grp, c.marker));
            s.add(new SweepRow(c.id(2), c.grp, c.marker));
            s.flush();
            return s.execute(c.sleepy());
          });
        })));
    return cases;
  }

  private static void addRows(Ctx c, int from, int to) {
    for (int n = from; n <= to; n++) {
      c.intended++;
      c.lastAdded = new SweepRow(c.id(n), c.grp, c.marker);
      c.session.add(c.lastAdded);
    }
  }

  /** Subscribes to endless rows; completes when the stream has delivered its first rows. */
  private static Step streamStep(boolean throwInOnNext) {
    return new Step(throwInOnNext ? "stream(onNext throws)" : "stream", c -> {
      CompletableFuture<Void> flowing = new CompletableFuture<>();
      c.conn.stream(ServerActivity.endlessRows(c.db, c.marker)).subscribe(new Flow.Subscriber<>() {
        long seen;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          c.subscription = subscription;
          if (c.streamCancelled) {
            subscription.cancel();
            return;
          }
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Row row) {
          if (++seen == 50) {
            flowing.complete(null);
            if (throwInOnNext) {
              throw new IllegalStateException("the subscriber fails");
            }
          }
        }

        @Override
        public void onError(Throwable failure) {
          flowing.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
          flowing.complete(null);
        }
      });
      return flowing;
    }, (c, v) -> {}, CancellationSweepTest::cancelStream);
  }

  /** Cancels the subscription, now or as soon as it arrives (a session's stream subscribes later). */
  private static void cancelStream(Ctx c, CompletableFuture<?> flowing) {
    c.streamCancelled = true;
    Flow.Subscription subscription = c.subscription;
    if (subscription != null) {
      subscription.cancel();
    }
    flowing.cancel(true);
  }

  private static Step sessionStreamStep() {
    return new Step("session.stream", c -> {
      CompletableFuture<Void> flowing = new CompletableFuture<>();
      c.session.stream(ServerActivity.endlessRows(c.db, c.marker)).subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          c.subscription = subscription;
          if (c.streamCancelled) {
            subscription.cancel();
            return;
          }
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Row row) {
          flowing.complete(null);
        }

        @Override
        public void onError(Throwable failure) {
          flowing.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
          flowing.complete(null);
        }
      });
      return flowing;
    }, (c, v) -> {}, CancellationSweepTest::cancelStream);
  }

  // ------------------------------------------------------------------ running

  @TestFactory
  Stream<DynamicNode> sweep() {
    return Stream.of(TestDatabase.values()).map(db -> DynamicContainer.dynamicContainer(db.toString(),
        Stream.concat(cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> sweepCase(db, c))),
            Stream.of(DynamicTest.dynamicTest("summary", () -> printSummary(db))))));
  }

  private static final Map<TestDatabase, AsyncEngine> ENGINES = new ConcurrentHashMap<>();

  private static AsyncEngine engine(TestDatabase db) {
    return ENGINES.computeIfAbsent(db, d -> {
      AsyncEngine engine = d.engine(builder -> builder.maxPoolSize(4).connectionTimeout(Duration.ofSeconds(5))
          .shutdownGracePeriod(Duration.ofSeconds(1)));
      Schema.recreate(engine.sync(), "sweep_rows",
          "create table sweep_rows (id bigint primary key, grp bigint not null, name varchar(80))");
      return engine;
    });
  }

  /** A fresh engine after a run left the old one unusable (a leaked connection fills the pool). */
  private static void replaceEngine(TestDatabase db) {
    AsyncEngine old = ENGINES.remove(db);
    if (old != null) {
      try {
        old.dispose().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("[sweep] disposing a broken engine on " + db + " failed: " + e);
      }
    }
  }

  @AfterAll
  static void closeEngines() {
    for (TestDatabase db : List.copyOf(ENGINES.keySet())) {
      replaceEngine(db);
    }
  }

  /** {@code -Dasyncengine.sweep.log=path}: progress lines as cases finish, for long runs. */
  private static void progress(String line) {
    String path = System.getProperty("asyncengine.sweep.log");
    if (path != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(path), line + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (java.io.IOException ignored) {
        // progress only
      }
    }
  }

  private void sweepCase(TestDatabase db, Case sweepCase) {
    db.requireReachable();
    long started = System.nanoTime();
    Tally tally = new Tally();
    synchronized (RESULTS) {
      RESULTS.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(sweepCase.name(), tally);
    }
    SplittableRandom random = new SplittableRandom(SEED ^ sweepCase.name().hashCode() ^ db.ordinal());
    boolean known = isKnown(db, sweepCase);
    // A known failure costs seconds per run (its bounded waits): two runs per step show it.
    int repetitions = known ? Math.min(REPETITIONS, 2) : REPETITIONS;
    List<String> samples = new ArrayList<>();
    for (int step = 0; step < sweepCase.steps().size(); step++) {
      for (int rep = 0; rep < repetitions; rep++) {
        long delayMicros = switch (rep % 4) {
          case 0 -> 0;
          case 1 -> random.nextLong(500);
          case 2 -> random.nextLong(5_000);
          default -> random.nextLong(50_000);
        };
        String where = sweepCase.steps().get(step).name() + "#" + step + " @" + delayMicros + "µs";
        List<String> problems = runOnce(db, sweepCase, step, delayMicros);
        tally.runs++;
        if (!problems.isEmpty()) {
          tally.failed++;
          for (String problem : problems) {
            tally.reasons.merge(sweepCase.steps().get(step).name() + "#" + step + ": " + problem, 1, Integer::sum);
          }
          if (samples.size() < 5) {
            samples.add(where + ": " + String.join("; ", problems));
          }
          replaceEngine(db);
        }
      }
    }
    progress(db + " " + sweepCase.name() + ": " + tally.failed + "/" + tally.runs + " failed in "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms " + tally.reasons + " " + samples);
    if (tally.failed > 0) {
      System.out.println("[sweep] " + db + " " + sweepCase.name() + ": " + tally.failed + "/" + tally.runs + " failed"
          + (known ? " (known until merge)" : "") + "\n  " + String.join("\n  ", samples)
          + "\n  reasons: " + tally.reasons);
    }
    if (!known) {
      assertThat(tally.failed).as(sweepCase.name() + " on " + db + ": " + tally.failed + "/" + tally.runs
          + " runs failed, e.g. " + samples + "; reasons " + tally.reasons).isZero();
    }
  }

  /** One run: the chain with step {@code cancelAt} cancelled {@code delayMicros} after its call; then the checks. */
  private List<String> runOnce(TestDatabase db, Case sweepCase, int cancelAt, long delayMicros) {
    AsyncEngine engine = engine(db);
    AsyncSessionFactory factory = AsyncSessionFactory.of(engine);
    Ctx c = new Ctx(db, engine, factory, ServerActivity.marker("sweep_" + db.toString().toLowerCase()),
        GROUPS.getAndIncrement());
    try {
      if (sweepCase.pipelined()) {
        runPipelined(c, sweepCase, cancelAt, delayMicros);
      } else {
        runSequential(c, sweepCase, cancelAt, delayMicros);
      }
      switch (sweepCase.follow()) {
        case CONNECTION -> followConnection(c);
        case STREAM -> followStream(c);
        case SESSION -> followSession(c);
      }
    } catch (RuntimeException | AssertionError e) {
      c.problems.add("harness: " + e);
    }
    checkInvariants(c);
    return c.problems;
  }

  private void runSequential(Ctx c, Case sweepCase, int cancelAt, long delayMicros) {
    for (int i = 0; i < sweepCase.steps().size(); i++) {
      Step step = sweepCase.steps().get(i);
      CompletableFuture<?> future = step.call().apply(c);
      if (i == cancelAt) {
        pause(delayMicros);
        step.cancel().accept(c, future);
        c.commitCancelled = future.isCancelled() && (step.name().equals("commit") || step.name().equals("tx.commit"));
      }
      Object value;
      try {
        value = future.get(HANG.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        c.problems.add(step.name() + " hung (no completion within " + HANG.toSeconds() + " s)");
        return;
      } catch (java.util.concurrent.CancellationException | ExecutionException e) {
        if (i < cancelAt) {
          c.problems.add("step before the cancel failed: " + step.name() + ": " + cause(e));
        } else if (i > cancelAt && !(e instanceof java.util.concurrent.CancellationException)) {
          c.problems.add("step after a late cancel failed: " + step.name() + ": " + cause(e));
        }
        return; // the cancel took (or the step failed): the chain ends here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      step.keep().accept(c, value);
    }
  }

  /** Connect, then every other step submitted back to back; the one at {@code cancelAt} cancelled. */
  private void runPipelined(Ctx c, Case sweepCase, int cancelAt, long delayMicros) {
    Step first = sweepCase.steps().get(0);
    CompletableFuture<?> connecting = first.call().apply(c);
    if (cancelAt == 0) {
      pause(delayMicros);
      first.cancel().accept(c, connecting);
    }
    Object value = waitQuietly(connecting);
    if (value == null) {
      return;
    }
    first.keep().accept(c, value);
    // A row for the update to change: committed before the pipeline, so "all or none" counts it apart.
    int problemsBefore = c.problems.size();
    complete(c, "the insert committed before the pipeline", c.engine.inTransaction(
        conn -> conn.execute(c.insert(), c.id(50), c.grp, "before")));
    if (c.problems.size() > problemsBefore) {
      return; // the pipeline's update would have nothing to change: not a run of this case
    }
    c.before = true;
    List<CompletableFuture<?>> futures = new ArrayList<>();
    for (int i = 1; i < sweepCase.steps().size(); i++) {
      futures.add(sweepCase.steps().get(i).call().apply(c));
    }
    if (cancelAt > 0) {
      pause(delayMicros);
      sweepCase.steps().get(cancelAt).cancel().accept(c, futures.get(cancelAt - 1));
    }
    boolean allOk = true;
    boolean updateFailedOnItsOwn = false;
    List<String> outcomes = new ArrayList<>(futures.size());
    for (int i = 0; i < futures.size(); i++) {
      try {
        outcomes.add(String.valueOf(futures.get(i).get(HANG.toSeconds(), TimeUnit.SECONDS)));
      } catch (TimeoutException e) {
        c.problems.add("a pipelined operation hung");
        return;
      } catch (Exception e) {
        allOk = false;
        outcomes.add(cause(e));
        // An update that failed by itself (a busy database, not the cancel) was reported to the
        // caller, who went on: the rest may commit without it, as on any connection.
        updateFailedOnItsOwn |= i == 0 && !futures.get(i).isCancelled()
            && !(unwrapped(e) instanceof io.asyncengine.error.PendingRollbackException);
      }
    }
    c.committed = allOk;
    // The update is part of the transaction too: "all" means the old row changed as well.
    if (c.committed) {
      expectName(c, c.id(50), "updated");
    } else {
      String name = nameOf(c, c.id(50));
      int rows = rowCount(c) - 1;
      boolean updateConsistent = updateFailedOnItsOwn ? !"updated".equals(name) : "updated".equals(name) == (rows == c.intended);
      if (!updateConsistent || (rows != 0 && rows != c.intended)) {
        c.problems.add("partial write: update " + ("updated".equals(name) ? "kept" : "gone (" + name + ")") + ", " + rows
            + " of " + c.intended + " inserted rows kept; outcomes " + outcomes);
      }
      c.intended = -1; // checked here
    }
  }

  private static @org.jspecify.annotations.Nullable Object waitQuietly(CompletableFuture<?> future) {
    try {
      return future.get(HANG.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  /** A connection left open by the chain is closed; closing must complete. */
  private void followConnection(Ctx c) {
    if (c.conn != null) {
      complete(c, "close after the cancel", c.conn.close());
    }
  }

  /** After a stream was stopped: the next statement on its connection completes, then it closes. */
  private void followStream(Ctx c) {
    if (c.conn == null) {
      return;
    }
    cancelStream(c, new CompletableFuture<>()); // ends the stream when the cancel missed it (or never came)
    CompletableFuture<Long> next = c.conn.scalar(Long.class, "select count(*) from sweep_rows where grp = ?", c.grp);
    try {
      next.get(AFTER_STREAM_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      c.problems.add("the next statement after the stream did not complete within " + AFTER_STREAM_LIMIT.toSeconds() + " s");
      next.cancel(true);
    } catch (Exception e) {
      // A connection evicted after a cut-off stream refuses further work: acceptable, it closes below.
      if (!c.conn.isClosed()) {
        c.problems.add("the next statement after the stream failed on an open connection: " + cause(e));
      }
    }
    complete(c, "close after the stream", c.conn.close());
  }

  /**
   * The session after the cancel: its next commit either keeps everything it holds (then the
   * database has every intended row) or is refused until rollback (then nothing is kept).
   */
  private void followSession(Ctx c) {
    AsyncSession session = c.session;
    if (session == null) {
      return;
    }
    cancelStream(c, new CompletableFuture<>()); // a session stream still open holds the session
    boolean chainCommitted = c.committed;
    if (!session.isClosed()) {
      Throwable refused = commitWhenFree(c, session);
      if (refused == null) {
        c.committed = true;
        if (!c.problems.isEmpty()) {
          return;
        }
        // What the session holds (its identity map after the commit) is what the database holds.
        Set<Long> held = new java.util.TreeSet<>();
        for (Object entity : session.identityMap().values()) {
          if (entity instanceof SweepRow row && row.grp() == c.grp) {
            held.add(row.id());
          }
        }
        Set<Long> stored = new java.util.TreeSet<>(idsOf(c));
        if (!held.equals(stored)) {
          c.problems.add("session commit reported success but the session holds " + held.size()
              + " rows as persistent and the database " + stored.size());
        }
        if (chainCommitted && stored.size() != c.intended) {
          c.problems.add("the chain's commit reported success but " + stored.size() + " of " + c.intended + " rows are kept");
        }
        c.intended = -1;
      } else if (refused instanceof InvalidRequestException && !(refused instanceof ConcurrentSessionUseException)) {
        // Refusing until rolled back: roll back, then nothing of it may be left and the session works again.
        complete(c, "rollback after a refused commit", session.rollback());
        int rows = rowCount(c);
        if (rows != 0 && !(c.commitCancelled && rows == c.intended)) {
          c.problems.add("after the refused commit and rollback the database holds " + rows + " rows");
        }
        c.intended = -1;
        complete(c, "get after rollback", session.get(SweepRow.class, c.id(1)));
      } else {
        c.problems.add("session neither committed nor refused: " + refused);
      }
    }
    complete(c, "session.closeAsync", session.closeAsync());
  }

  /** The session's commit, retried while the cancelled operation is still stopping; null on success. */
  private Throwable commitWhenFree(Ctx c, AsyncSession session) {
    long end = System.nanoTime() + SESSION_BUSY_LIMIT.toNanos();
    while (true) {
      try {
        session.commit().get(HANG.toSeconds(), TimeUnit.SECONDS);
        return null;
      } catch (TimeoutException e) {
        c.problems.add("session commit after the cancel hung");
        return e;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ConcurrentSessionUseException && System.nanoTime() < end) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
          continue;
        }
        return e.getCause();
      } catch (Exception e) {
        return e;
      }
    }
  }

  private void complete(Ctx c, String what, CompletableFuture<?> future) {
    try {
      future.get(HANG.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      c.problems.add(what + " hung");
    } catch (Exception e) {
      c.problems.add(what + " failed: " + cause(e));
    }
  }

  /** The five promises, checked after every run. */
  private void checkInvariants(Ctx c) {
    // 1. Nothing checked out, within a bounded wait.
    long end = System.nanoTime() + RETURN_LIMIT.toNanos();
    PoolStatus status = c.engine.poolStatus();
    while ((status.checkedOut() != 0 || status.gate().inUse() != 0) && System.nanoTime() < end) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      status = c.engine.poolStatus();
    }
    if (status.checkedOut() != 0 || status.gate().inUse() != 0) {
      c.problems.add("checked out after " + RETURN_LIMIT.toSeconds() + " s: hikari active=" + status.checkedOut()
          + ", gate inUse=" + status.gate().inUse());
      return; // the engine is replaced; the other checks would only time out
    }
    // 2. A new operation succeeds at once.
    try {
      Integer one = c.engine.runSync(conn -> conn.scalar(Integer.class, "select 1"))
          .get(NEXT_OPERATION_LIMIT.toSeconds(), TimeUnit.SECONDS);
      if (one == null || one != 1) {
        c.problems.add("new operation returned " + one);
      }
    } catch (Exception e) {
      c.problems.add("new operation failed: " + cause(e));
    }
    // 3. Nothing of the case left on the server.
    try {
      ServerActivity.awaitNone(c.db, c.marker, SERVER_LIMIT);
    } catch (AssertionError e) {
      c.problems.add("left on the server: " + e.getMessage());
    }
    // 4. All or none of the transaction's rows; all when its commit reported success.
    if (c.intended >= 0) {
      int rows = rowCount(c) - (c.before ? 1 : 0);
      if (c.committed && rows != c.intended) {
        c.problems.add("commit reported success but " + rows + " of " + c.intended + " rows are kept");
      } else if (rows != 0 && rows != c.intended) {
        c.problems.add("partial write: " + rows + " of " + c.intended + " rows kept");
      }
    }
  }

  private int rowCount(Ctx c) {
    try {
      Long rows = c.engine.sync().inTransaction(conn -> conn.scalar(Long.class, "select count(*) from sweep_rows where grp = ?", c.grp));
      return rows == null ? 0 : rows.intValue();
    } catch (RuntimeException e) {
      c.problems.add("counting rows failed: " + e);
      return -1;
    }
  }

  private List<Long> idsOf(Ctx c) {
    return c.engine.sync().inTransaction(conn -> conn.scalars(Long.class, "select id from sweep_rows where grp = ?", c.grp));
  }

  private String nameOf(Ctx c, long id) {
    return c.engine.sync().inTransaction(conn -> conn.scalar(String.class, "select name from sweep_rows where id = ?", id));
  }

  private void expectName(Ctx c, long id, String expected) {
    String name = nameOf(c, id);
    if (!expected.equals(name)) {
      c.problems.add("commit reported success but row " + id + " has name " + name + ", expected " + expected);
    }
  }

  private static void pause(long micros) {
    if (micros <= 0) {
      return;
    }
    long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
    if (micros > 2_000) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros - 1_000));
    }
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static Throwable unwrapped(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String cause(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    return cause.getClass().getSimpleName() + ": " + (message.length() > 160 ? message.substring(0, 160) + "…" : message);
  }

  private static boolean isKnown(TestDatabase db, Case sweepCase) {
    return isKnown(db, sweepCase.name());
  }

  private static boolean isKnown(TestDatabase db, String caseName) {
    return OPEN_DEFECTS.contains(db.name() + ":" + caseName) || OPEN_DEFECTS.contains("*:" + caseName);
  }

  private static void printSummary(TestDatabase db) {
    Map<String, Tally> tallies;
    synchronized (RESULTS) {
      tallies = RESULTS.getOrDefault(db, Map.of());
    }
    int runs = 0;
    int failed = 0;
    StringBuilder failing = new StringBuilder();
    for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
      runs += entry.getValue().runs;
      failed += entry.getValue().failed;
      if (entry.getValue().failed > 0) {
        failing.append("\n  ").append(entry.getKey()).append(": ").append(entry.getValue().failed).append('/')
            .append(entry.getValue().runs).append(isKnown(db, entry.getKey()) ? " (known until merge)" : "");
      }
    }
    System.out.println("[sweep] summary " + db + ": " + tallies.size() + " cases, " + runs + " runs ("
        + REPETITIONS + " per step and cancel point), " + failed + " failed; seed " + SEED + failing);
  }
}
