package dev.xerosync.writeback;

import java.util.List;

/** Runs WriteLatency for the benchmark (WriteLatency is package-private). */
public final class WriteLatencyRun {
  private WriteLatencyRun() {}

  /** The figure lines of one run. */
  public static List<String> run(int tenants, int invoicesPerTenant) throws Exception {
    return WriteLatency.run(tenants, invoicesPerTenant).lines();
  }
}
