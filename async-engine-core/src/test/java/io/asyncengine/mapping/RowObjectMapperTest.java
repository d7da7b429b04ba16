package io.asyncengine.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.error.MappingException;
import io.asyncengine.mapping.internal.MappedClass;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RowObjectMapperTest {

  record User(long id, String name, LocalDateTime createdAt, boolean active) {
  }

  record Renamed(@Column("user_name") String name, @Transient String note, @Transient int count) {
  }

  record Strict(String name) {
    Strict {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name is empty");
      }
    }
  }

  static final class Account {
    private long id;
    private String ownerName;
    private BigDecimal balance = BigDecimal.TEN;
    private transient String cache = "kept";
    @Transient private String skipped = "kept";
    private final String fixed = "fixed";
    boolean setterUsed;
    @Column("opened") private LocalDate openedOn;

    private Account() {
    }

    public void setOwnerName(String ownerName) {
      this.ownerName = ownerName;
      this.setterUsed = true;
    }
  }

  static class Base {
    protected Integer version;
  }

  static final class Derived extends Base {
    String label;
  }

  static final class Fluent {
    private String name;

    public Fluent setName(String name) {
      this.name = name.toUpperCase();
      return this;
    }
  }

  static final class Failing {
    String name;

    public void setName(String name) {
      throw new IllegalStateException("refused " + name);
    }
  }

  static final class NoDefault {
    NoDefault(int x) {
    }
  }

  abstract static class Abstract {
  }

  final class Inner {
  }

  enum Status { NEW, DONE }

  private static <T> RowObjectMapper<T> mapper(Class<T> type, String... labels) {
    return RowObjectMapper.of(type, List.of(labels));
  }

  @Test
  void mapsRecordFromDriverValues() {
    RowObjectMapper<User> mapper = mapper(User.class, "ID", "name", "created_at", "active", "extra");
    User user = mapper.map(new Object[] {
        7, "ann", Timestamp.valueOf("2024-01-02 10:11:12"), 1, "ignored"});
    assertThat(user).isEqualTo(new User(7, "ann", LocalDateTime.of(2024, 1, 2, 10, 11, 12), true));
    User fromText = mapper.map(new Object[] {8L, "bob", "2024-01-02 10:11:12", "f", null});
    assertThat(fromText).isEqualTo(new User(8, "bob", LocalDateTime.of(2024, 1, 2, 10, 11, 12), false));
  }

  @Test
  void columnOrderDoesNotMatter() {
    User user = mapper(User.class, "active", "createdAt", "name", "id")
        .map(new Object[] {true, LocalDateTime.of(2024, 1, 2, 0, 0), "x", new BigDecimal("3")});
    assertThat(user.id()).isEqualTo(3);
  }

  @Test
  void recordColumnAndTransient() {
    Renamed renamed = mapper(Renamed.class, "USER_NAME", "note").map(new Object[] {"ann", "n"});
    assertThat(renamed).isEqualTo(new Renamed("ann", null, 0));
  }

  @Test
  void recordMissingColumnFails() {
    assertThatThrownBy(() -> mapper(User.class, "id", "name"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to record " + User.class.getName()
            + ": no column for component 'createdAt' (columns: id, name)");
  }

  @Test
  void ambiguousColumnsFail() {
    assertThatThrownBy(() -> mapper(Strict.class, "name", "NAME"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to record " + Strict.class.getName()
            + ": columns name, NAME all match component 'name'; alias them apart");
  }

  @Test
  void recordConversionFailureNamesColumnComponentTypeAndValueType() {
    RowObjectMapper<User> mapper = mapper(User.class, "id", "name", "created_at", "active");
    assertThatThrownBy(() -> mapper.map(new Object[] {1, "a", "soon", 1}))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map column 'created_at' to component 'createdAt'"
            + " (java.time.LocalDateTime) of record " + User.class.getName()
            + ": Cannot convert value of type java.lang.String to java.time.LocalDateTime:"
            + " 'soon' is not an ISO-8601 date/time such as 2024-01-02 10:11:12")
        .cause().isInstanceOf(MappingException.class);
    assertThatThrownBy(() -> mapper.map(new Object[] {null, "a", null, 1}))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map column 'id' to component 'id' (long) of record "
            + User.class.getName() + ": NULL cannot be converted to long");
  }

  @Test
  void recordConstructorFailureIsWrapped() {
    assertThatThrownBy(() -> mapper(Strict.class, "name").map(new Object[] {""}))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("Cannot map to record " + Strict.class.getName()
            + ": its constructor threw java.lang.IllegalArgumentException: name is empty")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mapsPojoThroughSettersAndFields() {
    RowObjectMapper<Account> mapper = mapper(Account.class,
        "id", "owner_name", "cache", "skipped", "fixed", "opened", "unknown");
    Account account = mapper.map(new Object[] {
        5, "ann", "x", "x", "x", java.sql.Date.valueOf("2024-01-02"), 1});
    assertThat(account.id).isEqualTo(5);
    assertThat(account.ownerName).isEqualTo("ann");
    assertThat(account.setterUsed).isTrue();
    assertThat(account.balance).isEqualTo(BigDecimal.TEN);
    assertThat(account.cache).isEqualTo("kept");
    assertThat(account.skipped).isEqualTo("kept");
    assertThat(account.fixed).isEqualTo("fixed");
    assertThat(account.openedOn).isEqualTo(LocalDate.of(2024, 1, 2));
  }

  @Test
  void pojoInheritedFieldsAndFluentSetters() {
    Derived derived = mapper(Derived.class, "version", "label").map(new Object[] {3L, "l"});
    assertThat(derived.version).isEqualTo(3);
    assertThat(derived.label).isEqualTo("l");
    assertThat(mapper(Fluent.class, "name").map(new Object[] {"ann"}).name).isEqualTo("ANN");
  }

  @Test
  void pojoConversionFailureNamesProperty() {
    RowObjectMapper<Account> mapper = mapper(Account.class, "id");
    assertThatThrownBy(() -> mapper.map(new Object[] {"x"}))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map column 'id' to property 'id' (long) of class "
            + Account.class.getName()
            + ": Cannot convert value of type java.lang.String to long: 'x' is not a number");
  }

  @Test
  void pojoSetterFailureIsWrapped() {
    assertThatThrownBy(() -> mapper(Failing.class, "name").map(new Object[] {"a"}))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("writing property 'name' threw java.lang.IllegalStateException: refused a")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void pojoWithoutAnyMatchingColumnFails() {
    assertThatThrownBy(() -> mapper(Derived.class, "nothing"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to class " + Derived.class.getName()
            + ": no column matches any of its properties (columns: nothing; properties: label,"
            + " version)");
  }

  @Test
  void simpleTypes() {
    assertThat(mapper(int.class, "count").map(new Object[] {5L})).isEqualTo(5);
    assertThat(mapper(String.class, "x").map(new Object[] {null})).isNull();
    assertThat(mapper(Status.class, "s").map(new Object[] {"done"})).isEqualTo(Status.DONE);
    assertThat(mapper(Object.class, "x").map(new Object[] {"v"})).isEqualTo("v");
    assertThatThrownBy(() -> mapper(int.class, "count").map(new Object[] {null}))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map column 'count' to int: NULL cannot be converted to int");
  }

  @Test
  void simpleTypeNeedsOneColumn() {
    assertThatThrownBy(() -> mapper(Long.class, "a", "b"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to java.lang.Long: a simple type needs exactly one column,"
            + " the result has 2 (columns: a, b)");
  }

  @Test
  void unmappableClassesFail() {
    assertThatThrownBy(() -> mapper(Map.class, "a"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to java.util.Map: it is an interface");
    assertThatThrownBy(() -> mapper(Abstract.class, "a"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to " + Abstract.class.getName() + ": it is abstract");
    assertThatThrownBy(() -> mapper(NoDefault.class, "a"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to " + NoDefault.class.getName() + ": no no-arg constructor");
    assertThatThrownBy(() -> mapper(Inner.class, "a"))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to " + Inner.class.getName()
            + ": it is an inner class; make it static");
    assertThatThrownBy(() -> mapper(int[].class, "a"))
        .isInstanceOf(MappingException.class)
        .hasMessageStartingWith("Cannot map to [I: ");
  }

  @Test
  void wrongRowLengthFails() {
    assertThatThrownBy(() -> mapper(String.class, "a").map(new Object[] {"x", "y"}))
        .isInstanceOf(MappingException.class)
        .hasMessage("Cannot map to java.lang.String: row has 2 values, the result has 1 columns");
  }

  @Test
  void metadataIsCachedPerClass() {
    assertThat(MappedClass.of(User.class)).isSameAs(MappedClass.of(User.class));
  }

  @Test
  void oneMapperServesManyThreads() throws Exception {
    RowObjectMapper<User> mapper = mapper(User.class, "id", "name", "created_at", "active");
    Map<Long, User> results = new ConcurrentHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (long i = 0; i < 1_000; i++) {
        long id = i;
        futures.add(executor.submit(() -> results.put(id,
            mapper.map(new Object[] {id, "u" + id, "2024-01-02 10:11:12", id % 2}))));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    assertThat(results).hasSize(1_000);
    assertThat(results.get(7L)).isEqualTo(
        new User(7, "u7", LocalDateTime.of(2024, 1, 2, 10, 11, 12), true));
  }
}
