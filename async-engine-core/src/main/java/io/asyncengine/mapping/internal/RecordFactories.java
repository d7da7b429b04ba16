package io.asyncengine.mapping.internal;

import io.asyncengine.error.MappingException;
import io.asyncengine.mapping.ResultSetMapper;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.ResultSet;
import org.jspecify.annotations.Nullable;

/**
 * Record readers whose constructor call is plain bytecode: the canonical constructor implemented as
 * a small interface by {@link LambdaMetafactory} (a hidden class in the record's package), called
 * with the values its {@link ColumnRead}s return. Unlike a composed method handle, which the JIT
 * cannot inline when it is not a constant, this call inlines like any other, so the record's
 * allocation and the boxing of its values can be optimized away with it. For records of up to
 * {@value #MAX_COMPONENTS} components whose constructor the engine may look up privately (any
 * record on the class path; on the module path, a package open to the engine).
 *
 * <p>Thread: immutable readers; each reads on the thread that owns the result set.
 */
public final class RecordFactories {

  /** The most components a factory takes; larger records use a composed method handle. */
  public static final int MAX_COMPONENTS = 6;

  /** A one-component record's constructor. */
  @FunctionalInterface
  public interface Of1 { Object make(Object a); }

  /** A two-component record's constructor. */
  @FunctionalInterface
  public interface Of2 { Object make(Object a, Object b); }

  /** A three-component record's constructor. */
  @FunctionalInterface
  public interface Of3 { Object make(Object a, Object b, Object c); }

  /** A four-component record's constructor. */
  @FunctionalInterface
  public interface Of4 { Object make(Object a, Object b, Object c, Object d); }

  /** A five-component record's constructor. */
  @FunctionalInterface
  public interface Of5 { Object make(Object a, Object b, Object c, Object d, Object e); }

  /** A six-component record's constructor. */
  @FunctionalInterface
  public interface Of6 { Object make(Object a, Object b, Object c, Object d, Object e, Object f); }

  private static final Class<?>[] SHAPES = {null, Of1.class, Of2.class, Of3.class, Of4.class, Of5.class, Of6.class};

  private RecordFactories() {}

  /**
   * A reader building {@code mapped} from {@code reads} (one per component, in order; a transient
   * component's read returns its default), or {@code null} when no factory can be made (too many
   * components, or the constructor is not accessible this way): the caller then composes a method
   * handle.
   */
  public static <T> @Nullable ResultSetMapper<T> reader(MappedClass<T> mapped, ComponentRead[] reads) {
    int count = reads.length;
    if (count == 0 || count > MAX_COMPONENTS) {
      return null;
    }
    Object factory = factory(mapped, count);
    if (factory == null) {
      return null;
    }
    String describe = mapped.describe();
    ComponentRead r0 = reads[0];
    ComponentRead r1 = count > 1 ? reads[1] : null;
    ComponentRead r2 = count > 2 ? reads[2] : null;
    ComponentRead r3 = count > 3 ? reads[3] : null;
    ComponentRead r4 = count > 4 ? reads[4] : null;
    ComponentRead r5 = count > 5 ? reads[5] : null;
    ResultSetMapper<Object> reader = switch (count) {
      case 1 -> {
        Of1 f = (Of1) factory;
        yield rs -> {
          Object a = r0.read(rs);
          try {
            return f.make(a);
          } catch (RuntimeException e) {
            throw constructorThrew(describe, e);
          }
        };
      }
      case 2 -> {
        Of2 f = (Of2) factory;
        yield rs -> {
          Object a = r0.read(rs);
          Object b = r1.read(rs);
          try {
            return f.make(a, b);
          } catch (RuntimeException e) {
            throw constructorThrew(describe, e);
          }
        };
      }
      case 3 -> {
        Of3 f = (Of3) factory;
        yield rs -> {
          Object a = r0.read(rs);
          Object b = r1.read(rs);
          Object c = r2.read(rs);
          try {
            return f.make(a, b, c);
          } catch (RuntimeException e) {
            throw constructorThrew(describe, e);
          }
        };
      }
      case 4 -> {
        Of4 f = (Of4) factory;
        yield rs -> {
          Object a = r0.read(rs);
          Object b = r1.read(rs);
          Object c = r2.read(rs);
          Object d = r3.read(rs);
          try {
            return f.make(a, b, c, d);
          } catch (RuntimeException e) {
            throw constructorThrew(describe, e);
          }
        };
      }
      case 5 -> {
        Of5 f = (Of5) factory;
        yield rs -> {
          Object a = r0.read(rs);
          Object b = r1.read(rs);
          Object c = r2.read(rs);
          Object d = r3.read(rs);
          Object e = r4.read(rs);
          try {
            return f.make(a, b, c, d, e);
          } catch (RuntimeException x) {
            throw constructorThrew(describe, x);
          }
        };
      }
      default -> {
        Of6 f = (Of6) factory;
        yield rs -> {
          Object a = r0.read(rs);
          Object b = r1.read(rs);
          Object c = r2.read(rs);
          Object d = r3.read(rs);
          Object e = r4.read(rs);
          Object g = r5.read(rs);
          try {
            return f.make(a, b, c, d, e, g);
          } catch (RuntimeException x) {
            throw constructorThrew(describe, x);
          }
        };
      }
    };
    @SuppressWarnings("unchecked")
    ResultSetMapper<T> typed = (ResultSetMapper<T>) reader;
    return typed;
  }

  /** One component's value for the factory: a column read, or a transient component's default. */
  @FunctionalInterface
  public interface ComponentRead {
    /** The value, boxed (never null for a primitive component). */
    @Nullable Object read(ResultSet resultSet) throws java.sql.SQLException;
  }

  private static MappingException constructorThrew(String describe, RuntimeException e) {
    return new MappingException("Cannot map to " + describe + ": its constructor threw " + e, null, e);
  }

  private static @Nullable Object factory(MappedClass<?> mapped, int count) {
    Class<?> type = mapped.type();
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
      MethodHandle constructor = mapped.canonicalConstructor();
      MethodType constructorType = constructor.type();
      Class<?> shape = SHAPES[count];
      MethodType erased = MethodType.genericMethodType(count);
      MethodType instantiated = constructorType.wrap().changeReturnType(type);
      CallSite site = LambdaMetafactory.metafactory(lookup, "make", MethodType.methodType(shape), erased,
          lookup.unreflectConstructor(type.getDeclaredConstructor(constructorType.parameterArray())),
          instantiated);
      return site.getTarget().invoke();
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      return null; // not accessible this way (a module that does not open the package): compose a handle
    }
  }
}
