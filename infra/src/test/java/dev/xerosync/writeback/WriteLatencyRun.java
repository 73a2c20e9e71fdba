package dev.xerosync.writeback;

/**
 * Runs WriteLatency from the command line (the benchmark's entry; WriteLatency is package-private).
 */
public final class WriteLatencyRun {
  private WriteLatencyRun() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    WriteLatency.Figures f = WriteLatency.run(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    f.lines().forEach(System.out::println);
    System.out.println(
        "write-latency-wall-seconds: " + (System.nanoTime() - started) / 1_000_000_000 + " s");
    System.exit(0);
  }
}
