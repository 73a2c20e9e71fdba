package dev.xerosync.writeback;

import java.time.Duration;
import java.util.List;

/** Runs WriteDrain for the benchmark (WriteDrain is package-private). */
public final class WriteDrainRun {
  private WriteDrainRun() {}

  /** The figure lines, and what makes them meaningless (empty when none). */
  public record Result(List<String> lines, List<String> problems) {}

  public static Result run(Duration push, Duration deadline) throws Exception {
    WriteDrain.Figures f = WriteDrain.run(push, deadline);
    List<String> problems = new java.util.ArrayList<>();
    if (f.notSucceeded() > 0) {
      problems.add(f.notSucceeded() + " accepted writes did not succeed: " + f.states());
    }
    if (f.refusedWithoutRetryAfter() > 0) {
      problems.add(f.refusedWithoutRetryAfter() + " refusals without Retry-After or the problem");
    }
    if (f.refused() == 0) {
      problems.add("nothing was refused at ten times the drain rate");
    }
    return new Result(f.lines(), problems);
  }
}
