package dev.xerosync.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The suite's small chaos run (the benchmark WriteChaosBenchmark is the large one): lost responses
 * after commit, 504s after commit, 5xx and 429s before it, worker kills before the outcome is
 * recorded, every request sent twice, a payment resent without a key. No write may be posted twice
 * and none may be left without a terminal state.
 */
class WriteChaosIntegrationTest {
  @Test
  void chaosPostsNothingTwiceAndLosesNothing() throws Exception {
    WriteChaos.Figures f = WriteChaos.run(3, 3, 14L, 0.15);
    f.lines().forEach(System.out::println);
    // Per unit six writes and a resent payment; per tenant one history push.
    assertThat(f.operations()).isEqualTo(3 * 3 * 6 + 3 * 3 + 3);
    assertThat(f.duplicates()).isZero();
    assertThat(f.lost()).isZero();
    assertThat(f.historyMissing()).as("history invoices not in Xero").isZero();
    assertThat(f.workerKills()).as("the run killed the worker at least once").isPositive();
    assertThat(f.states().getOrDefault("SUCCEEDED", 0))
        .as("every operation of the chaos run can succeed: " + f.states())
        .isEqualTo(f.operations());
  }
}
