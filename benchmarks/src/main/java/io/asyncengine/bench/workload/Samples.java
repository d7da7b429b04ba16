package io.asyncengine.bench.workload;

import java.util.Arrays;

/** Medians and percentiles of measured samples. */
final class Samples {

  private Samples() {}

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** The {@code p}-th percentile (0–100) of {@code values}, nearest rank. */
  static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Ids 1..users visited in a fixed pseudo-random order, so every contender reads the same rows. */
  static int[] ids(int count, int users, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = 1 + random.nextInt(users);
    }
    return ids;
  }
}
