package dev.xerosync.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.xerosync.common.Priming;

/**
 * One cold start, in a JVM of its own as Lambda would start it: read the event (the runtime's
 * part), construct the handler (the init phase), optionally run the SnapStart priming hooks, then
 * handle one event. Prints wall-clock milliseconds so the parent can subtract the instant it
 * launched this JVM.
 *
 * <p>Usage: ColdStartChild handlerClass api|sqs|scheduled eventFile cold|primed
 */
public final class ColdStartChild {
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) throws Exception {
    long start = System.currentTimeMillis();
    // Lambda's runtime deserialises events with its own, already loaded serialiser; reading the
    // event
    // first keeps that loading out of the handler's figures, the same way for every handler.
    Object event =
        switch (args[1]) {
          case "api" -> EventLoader.loadApiGatewayRestEvent(args[2]);
          case "sqs" -> EventLoader.loadSQSEvent(args[2]);
          case "scheduled" -> EventLoader.loadScheduledEvent(args[2]);
          default -> throw new IllegalArgumentException(args[1]);
        };
    Object handler = Class.forName(args[0]).getConstructor().newInstance();
    long constructed = System.currentTimeMillis();
    long constructedCpu = cpuMs();
    if (args[3].equals("primed")) {
      Priming.primeAll();
    }
    long restored = System.currentTimeMillis();
    long restoredCpu = cpuMs();
    Object result = ((RequestHandler) handler).handleRequest(event, null);
    long handled = System.currentTimeMillis();
    long handledCpu = cpuMs();
    String summary = String.valueOf(result).replaceAll("\\s+", " ");
    System.out.println(
        "BENCH main="
            + start
            + " constructed="
            + constructed
            + " restored="
            + restored
            + " handled="
            + handled
            + " cpu="
            + constructedCpu
            + ","
            + restoredCpu
            + ","
            + handledCpu
            + " result="
            + summary.substring(0, Math.min(120, summary.length())));
  }

  /**
   * CPU time of the whole JVM so far (all threads: JIT, GC, class loading), robust to a busy
   * machine.
   */
  static long cpuMs() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toMillis)
        .orElse(-1L);
  }
}
