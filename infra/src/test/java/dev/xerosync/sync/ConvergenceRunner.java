package dev.xerosync.sync;

/**
 * Runs the convergence scenario at full size and prints its figures; exits non-zero on any
 * difference.
 */
public final class ConvergenceRunner {
  private ConvergenceRunner() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(Integer.parseInt(args[0]), Integer.parseInt(args[1])) == 0 ? 0 : 1);
  }

  /** Prints the run's figures and returns the number of fields that differ. */
  public static int run(int tenants, int changes) throws Exception {
    long started = System.nanoTime();
    var result =
        ConvergenceScenario.run(
            new ConvergenceScenario.Size(tenants, changes, 20, 20261121L),
            line -> System.out.println("# " + line));
    int differences = result.differences().values().stream().mapToInt(java.util.List::size).sum();
    System.out.println("convergence-tenants: " + tenants + " tenants");
    System.out.println("convergence-changes-applied: " + result.applied() + " changes");
    System.out.println("convergence-worker-crashes: " + result.crashes() + " invocations");
    System.out.println(
        "convergence-time-after-faults-s: "
            + String.format("%.1f", result.convergence().toMillis() / 1000.0)
            + " s");
    System.out.println(
        "convergence-total-s: "
            + String.format("%.1f", (System.nanoTime() - started) / 1e9)
            + " s");
    int creditDifferences =
        result.creditDifferences().values().stream().mapToInt(java.util.List::size).sum();
    System.out.println("convergence-differences: " + differences + " fields");
    System.out.println("credit-convergence-changes: " + result.creditChanges() + " changes");
    System.out.println("credit-convergence-differences: " + creditDifferences + " differences");
    result
        .differences()
        .forEach(
            (tenant, diffs) ->
                diffs.stream().limit(5).forEach(d -> System.out.println("# " + tenant + ": " + d)));
    result
        .creditDifferences()
        .forEach(
            (tenant, diffs) ->
                diffs.stream().limit(5).forEach(d -> System.out.println("# " + tenant + ": " + d)));
    return differences + creditDifferences;
  }
}
