package io.asyncengine.concurrent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The continuation executor: every task runs once, on a virtual thread, whether it starts a thread
 * or is handed to one that waits after its own task; a task that blocks never holds another.
 */
class ContinuationThreadsTest {

  private final Executor executor = new ContinuationThreads(Thread.ofVirtual().name("test-continuation").factory());

  @Test
  void everyTaskRunsOnceOnAVirtualThread() throws Exception {
    int tasks = 20_000;
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    AtomicBoolean offVirtual = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(tasks);
    Thread[] submitters = new Thread[4];
    for (int s = 0; s < submitters.length; s++) {
      int first = s * (tasks / submitters.length);
      submitters[s] = Thread.ofPlatform().start(() -> {
        for (int i = first; i < first + tasks / submitters.length; i++) {
          int id = i;
          executor.execute(() -> {
            if (!Thread.currentThread().isVirtual()) {
              offVirtual.set(true);
            }
            if (ran.add(id)) {
              done.countDown();
            }
          });
        }
      });
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).as("every task ran").isTrue();
    assertThat(ran).hasSize(tasks);
    assertThat(offVirtual).isFalse();
  }

  /** One after another, as a chain's completions come: each task is handed over while the last may still wait. */
  @Test
  void aChainOfTasksRunsInOrderOnVirtualThreads() throws Exception {
    int steps = 2_000;
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean offVirtual = new AtomicBoolean();
    new Object() {
      void step(int left) {
        executor.execute(() -> {
          if (!Thread.currentThread().isVirtual()) {
            offVirtual.set(true);
          }
          if (left == 0) {
            done.countDown();
          } else {
            step(left - 1);
          }
        });
      }
    }.step(steps);
    assertThat(done.await(30, TimeUnit.SECONDS)).as("the chain ended").isTrue();
    assertThat(offVirtual).isFalse();
  }

  @Test
  void aBlockedTaskDoesNotHoldTheNext() throws Exception {
    for (int round = 0; round < 200; round++) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blockedDone = new CountDownLatch(1);
      executor.execute(() -> {
        try {
          if (release.await(10, TimeUnit.SECONDS)) {
            blockedDone.countDown();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      executor.execute(release::countDown);
      assertThat(blockedDone.await(20, TimeUnit.SECONDS)).as("round %d: the second task released the first", round).isTrue();
    }
  }
}
