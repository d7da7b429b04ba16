package io.asyncengine.bench.jmh;

/**
 * Runs JMH with the given arguments, e.g. {@code OperationOverhead -wi 1 -i 2 -f 1}: {@code java -cp
 * benchmarks/target/benchmarks.jar io.asyncengine.bench.jmh.JmhMain OperationOverhead}. The jar's
 * manifest puts {@code lib/} on the class path, which the forked JMH JVMs inherit.
 */
public final class JmhMain {

  private JmhMain() {}

  /**
   * Hands {@code args} to {@link org.openjdk.jmh.Main}.
   *
   * @throws Exception whatever JMH throws (bad options, a failing benchmark's setup)
   */
  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args);
  }
}
