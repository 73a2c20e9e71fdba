package dev.xerosync.bench;

/**
 * Write latency without faults: {@code ./dev bench WriteLatencyBenchmark} (8 tenants, 25 invoices
 * each, every one pushed and then paid: 400 operations), {@code ./dev bench WriteLatencyBenchmark
 * quick} (3 tenants, 5 invoices: 30). Prints write-accept-to-succeeded-p50-ms/-p99-ms and
 * write-read-your-write-p99-ms (the larger of the invoice's and the payment's); see WriteLatency.
 */
public final class WriteLatencyBenchmark {
  private WriteLatencyBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
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
          dev.xerosync.writeback.WriteLatencyRun.run(quick ? 3 : 8, quick ? 5 : 25)
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
