package dev.xerosync.bench;

import dev.xerosync.writeback.WriteChaosRun;

/**
 * Write-back under chaos at scale: {@code ./dev bench WriteChaosBenchmark} (1,000+ operations over
 * 30 tenants), {@code ./dev bench WriteChaosBenchmark quick} (4 tenants, one unit each). Prints
 * write-duplicates, write-lost, write-xero-calls-per-operation, and the chaos run's own latencies
 * (write-chaos-accept-to-succeeded-p50-ms/-p99-ms, write-chaos-read-your-write-p99-ms; the
 * fault-free latency figures are WriteLatencyBenchmark's); see WriteChaos for the faults.
 */
public final class WriteChaosBenchmark {
  private WriteChaosBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
    // Quick is CI's smoke run: a few tenants; its figures are checked for presence and sanity. With
    // three units a tenant made about 64 Xero calls (as WriteChaosIntegrationTest did then), past
    // the writes' 45 of Xero's 60 a minute, and its last writes waited about a minute for the
    // minute to roll; with one unit, 34 calls and queued p99 2.7 s (load average 15-30).
    int tenants = quick ? 4 : 30;
    int units = quick ? 1 : 7;
    Figures figures = Figures.to(System.out);
    figures.require(
        "write-operations",
        "write-duplicates",
        "write-lost",
        "write-xero-calls-per-operation",
        "write-chaos-accept-to-succeeded-p50-ms",
        "write-chaos-accept-to-succeeded-p99-ms",
        "write-chaos-read-your-write-p99-ms");
    figures.run(
        () -> {
          var r = WriteChaosRun.run(tenants, units);
          for (String line : r.lines()) {
            // The states are a map, not a figure.
            figures.out().println(line.startsWith("write-terminal-states") ? "# " + line : line);
          }
          if (!r.exactlyOnce()) {
            figures.problem("a write was duplicated or lost");
          }
        });
  }
}
