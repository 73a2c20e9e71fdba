package dev.xerosync.writeback;

/** Runs WriteChaos from the command line (the benchmark's entry; WriteChaos is package-private). */
public final class WriteChaosRun {
  private WriteChaosRun() {}

  public static void main(String[] args) throws Exception {
    int tenants = Integer.parseInt(args[0]);
    int units = Integer.parseInt(args[1]);
    long started = System.nanoTime();
    WriteChaos.Figures f = WriteChaos.run(tenants, units, 2026L, 0.10);
    f.lines().forEach(System.out::println);
    System.out.println(
        "write-chaos-wall-seconds: " + (System.nanoTime() - started) / 1_000_000_000 + " s");
    System.exit(f.duplicates() == 0 && f.lost() == 0 ? 0 : 1);
  }
}
