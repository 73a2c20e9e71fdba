package dev.xerosync.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./dev bench ConvergenceRun [tenants] [changes] [quick]}: the full-size convergence run
 * under faults, a third of the changes to credits (quick: 2 tenants, 300 changes). Exits non-zero
 * on any difference or missing figure.
 */
public final class ConvergenceRun {
  private ConvergenceRun() {}

  public static void main(String[] args) throws Exception {
    List<String> numbers = new ArrayList<>(List.of(args));
    boolean quick = numbers.remove("quick");
    int tenants = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : quick ? 2 : 10;
    int changes = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : quick ? 300 : 10_000;
    Figures figures = Figures.to(System.out);
    System.setOut(figures.out());
    figures.require(
        "convergence-changes-applied",
        "convergence-time-after-faults-s",
        "convergence-differences",
        "credit-convergence-differences");
    figures.run(
        () -> {
          int differences = dev.xerosync.sync.ConvergenceRunner.run(tenants, changes);
          if (differences != 0) {
            figures.problem(differences + " fields differ from the simulator");
          }
        });
  }
}
