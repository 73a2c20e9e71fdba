package dev.xerosync.bench;

/**
 * Write latency without faults: {@code ./dev bench WriteLatencyBenchmark} (8 tenants, 25 invoices
 * each, every one pushed and then paid: 400 operations), {@code ./dev bench WriteLatencyBenchmark
 * quick} (3 tenants, 5 invoices: 30). Prints write-accept-to-succeeded-p50-ms/-p99-ms and
 * write-read-your-write-p99-ms (the larger of the invoice's and the payment's); see WriteLatency.
 */
public final class WriteLatencyBenchmark {
  private WriteLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    dev.xerosync.writeback.WriteLatencyRun.main(
        new String[] {quick ? "3" : "8", quick ? "5" : "25"});
  }
}
