package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.AsyncSessionTransaction;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.concurrent.TaskGroup;
import io.asyncengine.core.Engine;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.mapping.Table;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.RetryPolicy;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.session.Session;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The one rule for argument errors: an argument wrong on its face (null where the signature does
 * not say {@code @Nullable}, a negative size, a key of the wrong type) throws at once on the
 * caller's thread, naming the argument; what is found out only by running (SQL, markers, binding,
 * the database) fails the returned future. Reflection finds every public method and constructor
 * of the public API, so a new method is covered without touching this test.
 */
class ArgumentRulesTest {

  /** A mapped entity for the session methods. */
  @Table("arg_items")
  public static class ArgItem {
    public Long id;
    public String name;
  }

  private static AsyncEngine engine;
  private static final List<AutoCloseable> OPENED = new ArrayList<>();
  private static final List<CompletableFuture<?>> STARTED = new ArrayList<>();

  @BeforeAll
  static void open() {
    // Room for the connections the live instances hold plus the targeted tests'.
    engine = TestDatabase.SQLITE.engine(b -> b.maxPoolSize(10));
    Schema.recreate(engine.sync(), "arg_items", "create table arg_items (id integer primary key, name varchar(50))");
  }

  @AfterAll
  static void close() throws Exception {
    for (CompletableFuture<?> future : STARTED) {
      try {
        future.get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // a method that did not check its argument ran with it; the test has already failed
      }
    }
    for (AutoCloseable closeable : OPENED.reversed()) {
      closeable.close();
    }
    engine.close();
  }

  /** One live instance of each public type (or null for a class used only through its static methods). */
  private static Map<Class<?>, @Nullable Object> targets() {
    Map<Class<?>, @Nullable Object> targets = new HashMap<>();
    targets.put(AsyncEngine.class, engine);
    targets.put(AsyncEngine.Builder.class, AsyncEngine.builder());
    AsyncConnection connection = await(engine.connect());
    OPENED.add(() -> await(connection.close()));
    targets.put(AsyncConnection.class, connection);
    AsyncConnection inTransaction = await(engine.connect());
    OPENED.add(() -> await(inTransaction.close()));
    targets.put(AsyncTransaction.class, await(inTransaction.begin()));
    AsyncSessionFactory factory = AsyncSessionFactory.of(engine);
    targets.put(AsyncSessionFactory.class, factory);
    targets.put(AsyncSessionFactory.Builder.class, AsyncSessionFactory.builder(engine));
    AsyncSession session = factory.openSession();
    OPENED.add(session::close);
    targets.put(AsyncSession.class, session);
    AsyncSession sessionInTransaction = factory.openSession();
    OPENED.add(sessionInTransaction::close);
    targets.put(AsyncSessionTransaction.class, await(sessionInTransaction.begin()));
    targets.put(Engine.class, engine.sync());
    SqlConnection sync = engine.sync().connect();
    OPENED.add(sync);
    targets.put(SqlConnection.class, sync);
    Session syncSession = factory.openSyncSession();
    OPENED.add(syncSession);
    targets.put(Session.class, syncSession);
    targets.put(Params.class, null);
    Result result = sync.execute("select 1 as one, 'a' as name");
    targets.put(Result.class, result);
    targets.put(Row.class, result.one());
    targets.put(ColumnLabels.class, result.columns());
    TaskGroup group = TaskGroup.open();
    OPENED.add(group);
    targets.put(TaskGroup.class, group);
    return targets;
  }

  @TestFactory
  Stream<DynamicTest> everyNonNullableReferenceParameterRefusesNullAtOnceNamingIt() {
    List<DynamicTest> tests = new ArrayList<>();
    targets().forEach((type, target) -> {
      List<Executable> callables = new ArrayList<>(List.of(type.getConstructors()));
      for (Method method : type.getMethods()) {
        boolean ours = method.getDeclaringClass().getPackageName().startsWith("io.asyncengine");
        if (ours && !method.isBridge() && !method.isSynthetic() && (target != null || Modifier.isStatic(method.getModifiers()))) {
          callables.add(method);
        }
      }
      for (Executable callable : callables) {
        Parameter[] parameters = callable.getParameters();
        for (int i = 0; i < parameters.length; i++) {
          if (parameters[i].getType().isPrimitive() || nullable(parameters[i].getAnnotatedType())) {
            continue;
          }
          int index = i;
          String name = type.getSimpleName() + "." + callable.getName() + describe(parameters) + ": " + parameters[i].getName();
          tests.add(DynamicTest.dynamicTest(name, () -> assertRefusesNull(target, callable, index)));
        }
      }
    });
    assertThat(tests).hasSizeGreaterThan(150);
    return tests.stream().sorted((a, b) -> a.getDisplayName().compareTo(b.getDisplayName()));
  }

  private static void assertRefusesNull(@Nullable Object target, Executable callable, int index) throws Exception {
    Parameter parameter = callable.getParameters()[index];
    @Nullable Object[] arguments = new Object[callable.getParameterCount()];
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = i == index ? null : sample(callable.getParameters()[i].getType());
    }
    Object returned;
    try {
      returned = callable instanceof Method method
          ? method.invoke(Modifier.isStatic(method.getModifiers()) ? null : target, arguments)
          : ((Constructor<?>) callable).newInstance(arguments);
    } catch (InvocationTargetException e) {
      assertThat(e.getCause()).as("what %s threw", callable)
          .isInstanceOf(NullPointerException.class)
          .hasMessage(parameter.getName() + " must not be null");
      return;
    }
    if (returned instanceof CompletableFuture<?> future) {
      STARTED.add(future);
    }
    fail("%s returned %s instead of throwing NullPointerException for a null %s", callable, returned, parameter.getName());
  }

  /** Whether the parameter's type (an array's own type, for varargs) is {@code @Nullable}. */
  private static boolean nullable(AnnotatedType type) {
    return type.isAnnotationPresent(Nullable.class);
  }

  private static String describe(Parameter[] parameters) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < parameters.length; i++) {
      text.append(i == 0 ? "" : ", ").append(parameters[i].getType().getSimpleName());
    }
    return text.append(')').toString();
  }

  /** A harmless valid value of {@code type}, used for the arguments that are not under test. */
  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "select 1";
    }
    if (type == int.class) {
      return 1;
    }
    if (type == long.class) {
      return 1L;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == Class.class) {
      return ArgItem.class;
    }
    if (type == Object.class) {
      return new ArgItem();
    }
    if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
    }
    if (type == Params.class) {
      return Params.of();
    }
    if (type == List.class || type == Collection.class || type == Iterable.class) {
      return List.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(30);
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (type == ExecutionOptions.class) {
      return ExecutionOptions.defaults();
    }
    if (type == RetryPolicy.class) {
      return RetryPolicy.defaults();
    }
    if (type == ContextPropagator.class) {
      return ContextPropagator.NONE;
    }
    if (type == Engine.class) {
      return engine.sync();
    }
    if (type == AsyncEngine.class) {
      return engine;
    }
    if (type == DataSource.class) {
      return engine.sync().dataSource();
    }
    if (type == Dialect.class) {
      return Dialect.sqlite();
    }
    if (type == Result.class) {
      return Result.empty();
    }
    if (type == ColumnLabels.class) {
      return ColumnLabels.empty();
    }
    if (type.isInterface()) {
      return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        case "toString" -> "sample " + type.getSimpleName();
        default -> method.getReturnType() == boolean.class ? false : method.getReturnType() == int.class ? 0 : null;
      });
    }
    throw new AssertionError("no sample value for " + type + ": add one");
  }

  // ---- targeted cases: wrong on its face throws at once; found out by running fails the future ----

  @Test
  void nullSqlThrowsAtOnceNamingTheArgument() {
    AsyncConnection conn = await(engine.connect());
    try {
      assertThatThrownBy(() -> conn.execute(null)).isInstanceOf(NullPointerException.class).hasMessage("sql must not be null");
      assertThatThrownBy(() -> conn.execute(null, Params.of())).isInstanceOf(NullPointerException.class)
          .hasMessage("sql must not be null");
      assertThatThrownBy(() -> conn.scalar(Integer.class, null)).isInstanceOf(NullPointerException.class)
          .hasMessage("sql must not be null");
    } finally {
      await(conn.close());
    }
  }

  @Test
  void aNamedMapWithANonStringKeyThrowsAtOnceNamingTheKey() {
    Map<Object, Object> bad = new HashMap<>();
    bad.put(1, "x");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, ?> raw = (Map) bad;
    assertThatThrownBy(() -> Params.named(raw)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values").hasMessageContaining("1");
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    assertThatThrownBy(() -> Params.named(nullKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values");
  }

  @Test
  void negativeSizesThrowAtOnce() {
    Result result;
    try (SqlConnection sync = engine.sync().connect()) {
      result = sync.execute("select 1");
    }
    assertThatThrownBy(() -> result.partitions(0)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("size ");
    assertThatThrownBy(() -> ExecutionOptions.defaults().withFetchSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rows ");
    AsyncConnection conn = await(engine.connect());
    try {
      assertThatThrownBy(() -> conn.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("timeout ");
    } finally {
      await(conn.close());
    }
  }

  @Test
  void whatIsFoundOutByRunningFailsTheFuture() {
    AsyncConnection conn = await(engine.connect());
    try {
      CompletableFuture<Result> markers = conn.execute("select ?, ?", 1);
      assertThat(io.asyncengine.testing.Await.failure(markers)).isInstanceOf(ParameterBindingException.class);
      CompletableFuture<Result> syntax = conn.execute("selec 1");
      assertThat(io.asyncengine.testing.Await.failure(syntax)).isInstanceOf(io.asyncengine.error.ProgrammingException.class);
      await(conn.rollback());
    } finally {
      await(conn.close());
    }
  }
}
