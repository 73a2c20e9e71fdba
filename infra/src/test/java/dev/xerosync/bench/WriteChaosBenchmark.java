package dev.xerosync.bench;

/**
 * Write-back under chaos at scale: {@code ./dev bench WriteChaosBenchmark} (1,000+ operations over
 * 30 tenants), {@code ./dev bench WriteChaosBenchmark quick} (about 200). Prints write-duplicates,
 * write-lost, write-xero-calls-per-operation, write-accept-to-succeeded-p50-ms/-p99-ms and
 * write-read-your-write-p99-ms; see WriteChaos for the faults.
 */
public final class WriteChaosBenchmark {
  private WriteChaosBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    int tenants = quick ? 10 : 30;
    int units = quick ? 4 : 7;
    dev.xerosync.writeback.WriteChaosRun.main(
        new String[] {Integer.toString(tenants), Integer.toString(units)});
  }
}
