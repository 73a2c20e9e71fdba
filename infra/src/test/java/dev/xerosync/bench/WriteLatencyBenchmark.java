package dev.xerosync.bench;

/**
 * Write latency without faults. {@code ./dev bench WriteLatencyBenchmark}: 20 tenants side by side,
 * 10 invoices each, every one pushed and then paid (400 operations); each tenant stays inside
 * Xero's 60 calls a minute, so the figures are the system's own latency. {@code quick}: 3 tenants,
 * 5 invoices (30). {@code paced}: 8 tenants, 25 invoices (400): each tenant writes about 50 calls
 * in half a minute, past the writes' share of its minute, so the rate budget holds some back and
 * p99 shows that wait. Prints write-accept-to-succeeded-p50-ms/-p99-ms,
 * write-read-your-write-p99-ms (the larger of the invoice's and the payment's) and
 * write-latency-held-back; see WriteLatency.
 */
public final class WriteLatencyBenchmark {
  private WriteLatencyBenchmark() {}

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "full";
    int tenants;
    int invoices;
    switch (mode) {
      case "quick" -> {
        tenants = 3;
        invoices = 5;
      }
      case "paced" -> {
        tenants = 8;
        invoices = 25;
      }
      case "full" -> {
        tenants = 40;
        invoices = 5;
      }
      default -> throw new IllegalArgumentException("mode is quick, paced or nothing: " + mode);
    }
    Figures figures = Figures.to(System.out);
    figures.require(
        "write-latency-operations",
        "write-accept-to-succeeded-p50-ms",
        "write-accept-to-succeeded-p99-ms",
        "write-queued-p99-ms",
        "write-read-your-write-p99-ms",
        "write-latency-wall-seconds");
    figures.run(
        () -> {
          long started = System.nanoTime();
          dev.xerosync.writeback.WriteLatencyRun.run(tenants, invoices)
              .forEach(figures.out()::println);
          figures
              .out()
              .println(
                  "write-latency-wall-seconds: "
                      + (System.nanoTime() - started) / 1_000_000_000
                      + " s");
        });
  }
}
