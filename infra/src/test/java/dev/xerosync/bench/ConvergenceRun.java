package dev.xerosync.bench;

/**
 * {@code ./dev bench ConvergenceRun [tenants] [changes]}: the full-size convergence run under
 * faults.
 */
public final class ConvergenceRun {
  private ConvergenceRun() {}

  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    dev.xerosync.sync.ConvergenceRunner.main(
        new String[] {Integer.toString(tenants), Integer.toString(changes)});
  }
}
