package dev.xerosync.bench;

import dev.xerosync.writeback.WriteDrainRun;
import java.time.Duration;

/**
 * One tenant's writes at ten times the rate Xero's limits drain them (450 invoices a minute against
 * about 45): {@code ./dev bench WriteDrainBenchmark} pushes for 5 minutes with a 5-minute write
 * deadline, {@code quick} for 10 s with a 1-minute one (a queue of 33 writes; a deadline under
 * Xero's rolling minute could not be kept, as the minute's calls may all go at its start). Prints
 * write-refused-at-admission, write-failed-by-rate-limit (target 0) and write-drain-per-min; fails
 * when an admitted write does not reach SUCCEEDED or a refusal lacks its 429 problem and
 * Retry-After. See WriteDrain.
 */
public final class WriteDrainBenchmark {
  private WriteDrainBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
    Duration push = quick ? Duration.ofSeconds(10) : Duration.ofMinutes(5);
    Duration deadline = quick ? Duration.ofMinutes(1) : Duration.ofMinutes(5);
    Figures figures = Figures.to(System.out);
    figures.require(
        "write-drain-offered",
        "write-drain-accepted",
        "write-refused-at-admission",
        "write-failed-by-rate-limit",
        "write-drain-per-min");
    figures.run(
        () -> {
          WriteDrainRun.Result r = WriteDrainRun.run(push, deadline);
          r.lines().forEach(figures.out()::println);
          r.problems().forEach(figures::problem);
        });
  }
}
