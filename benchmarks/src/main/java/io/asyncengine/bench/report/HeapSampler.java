package io.asyncengine.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples heap use and resident set size every few milliseconds on a daemon thread, keeping the
 * peaks, and the live set after a full GC every 50 ms: what W4 and W5 report. The baseline is
 * taken after a GC, so it is the live set before the work.
 */
public final class HeapSampler implements AutoCloseable {

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long baselineHeap;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakHeap;
  private volatile long peakRss;
  private volatile long peakLive;

  private HeapSampler() {
    System.gc();
    baselineHeap = memory.getHeapMemoryUsage().getUsed();
    peakHeap = baselineHeap;
    peakLive = baselineHeap;
    thread = Thread.ofPlatform().daemon().name("heap-sampler").start(this::sample);
  }

  /**
   * Starts sampling now, and also the live set: every 50 ms a full GC, then the heap in use. Peak
   * heap counts garbage not yet collected; the live set is what pending work really holds.
   */
  public static HeapSampler startWithLiveSet() {
    return new HeapSampler();
  }

  private void sample() {
    long nextGc = System.nanoTime() + 50_000_000L;
    while (running) {
      if (System.nanoTime() >= nextGc) {
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peakLive) {
          peakLive = used;
        }
        nextGc = System.nanoTime() + 50_000_000L;
      }
      long heap = memory.getHeapMemoryUsage().getUsed();
      if (heap > peakHeap) {
        peakHeap = heap;
      }
      long rss = rss();
      if (rss > peakRss) {
        peakRss = rss;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The highest heap use seen. */
  public long peakHeap() {
    return peakHeap;
  }

  /** The largest live set seen after a sampling GC, minus the baseline. */
  public long liveGrowth() {
    return Math.max(0, peakLive - baselineHeap);
  }

  /** The highest resident set size seen, in bytes (0 where /proc is unavailable). */
  public long peakRss() {
    return peakRss;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
