package dev.xerosync.writeback;

/** Runs WriteChaos from the command line (the benchmark's entry; WriteChaos is package-private). */
public final class WriteChaosRun {
  private WriteChaosRun() {}

  public static void main(String[] args) throws Exception {
    Result r = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    r.lines().forEach(System.out::println);
    System.exit(r.exactlyOnce() ? 0 : 1);
  }

  /** The figures' lines, and whether every write happened exactly once (none twice, none lost). */
  public record Result(java.util.List<String> lines, boolean exactlyOnce) {}

  public static Result run(int tenants, int units) throws Exception {
    long started = System.nanoTime();
    WriteChaos.Figures f = WriteChaos.run(tenants, units, 2026L, 0.10);
    var lines = new java.util.ArrayList<>(f.lines());
    lines.add("write-chaos-wall-seconds: " + (System.nanoTime() - started) / 1_000_000_000 + " s");
    return new Result(lines, f.duplicates() == 0 && f.lost() == 0 && f.historyMissing() == 0);
  }
}
