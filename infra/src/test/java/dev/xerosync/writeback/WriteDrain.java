package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.aws.ApiGatewayStandIn;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tenant pushed past Xero's limits: invoices (one Xero call each) sent at ten times the rate
 * its writes drain, for a while. The write API must admit only what can drain before the deadline
 * (a 429 problem with Retry-After for the rest), and every admitted write must reach SUCCEEDED: a
 * rate limit, Xero's or our budget's, may hold a write back but never fail it. The deadline is
 * shortened so that the queue fills within the run.
 */
final class WriteDrain {
  private WriteDrain() {}

  /** The writes' share of Xero's 60 calls a minute for one tenant. */
  static final int DRAIN_PER_MINUTE = 45;

  record Figures(
      int offered,
      int accepted,
      int refused,
      int refusedWithoutRetryAfter,
      int failedByRateLimit,
      int notSucceeded,
      double drainPerMinute,
      long maxPositionSeen,
      TreeMap<String, Integer> states) {
    List<String> lines() {
      return List.of(
          "write-drain-offered: " + offered + " writes",
          "write-drain-accepted: " + accepted + " writes",
          "write-refused-at-admission: " + refused + " writes",
          "write-failed-by-rate-limit: " + failedByRateLimit + " writes",
          "write-drain-per-min: " + String.format("%.1f", drainPerMinute) + " writes",
          "write-drain-queue-position-max: " + maxPositionSeen + " writes",
          "# terminal states of the accepted writes: " + states);
    }
  }

  static Figures run(Duration push, Duration deadline) throws Exception {
    LocalStack stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withHandler(
                    "WriteApiFunction", env -> new WriteApiHandler(shortened(env, deadline))));
    try {
      // The pushers send evenly, 7.5 a second, under the plan's 25; but on a loaded host a stall
      // bunches the queued sends, and the plan's throttle would then answer 429 for the gateway,
      // not for admission. Lifted here as UpdateUsagePlan would: this measures admission.
      stack
          .aws()
          .apiGateway()
          .updateUsagePlan(
              new ApiGatewayStandIn.UsagePlan(
                  ApiGatewayStandIn.planId("ClientsUsagePlan"), 0, 0, 0, "MONTH"));
      WriteBackApi api = new WriteBackApi(stack);
      SimOrganisation org = stack.xero().createOrganisation("Drain Ltd");
      stack.connect(org);
      String tenant = org.tenantId();
      // The customer first, so each invoice is one call.
      String contact =
          api.send("PUT", tenant, "/contacts/dc-1", "{\"name\":\"Drain Customer\"}", "dc-1")
              .operationId();
      api.awaitTerminal(tenant, contact, Duration.ofSeconds(60));

      long intervalNanos = 60_000_000_000L / (10L * DRAIN_PER_MINUTE);
      List<String> accepted = new ArrayList<>();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger withoutRetryAfter = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<WriteBackApi.Response>> sent = new ArrayList<>();
      long start = System.nanoTime();
      int offered = 0;
      while (System.nanoTime() - start < push.toNanos()) {
        String id = "drain-" + offered++;
        sent.add(pool.submit(() -> api.send("PUT", tenant, "/invoices/" + id, invoice(), id)));
        long next = start + offered * intervalNanos;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
      long maxPosition = 0;
      for (Future<WriteBackApi.Response> f : sent) {
        WriteBackApi.Response r = f.get();
        if (r.status() == 202) {
          accepted.add(r.operationId());
          maxPosition = Math.max(maxPosition, r.body().path("queue").path("position").asLong());
        } else if (r.status() == 429) {
          refused.incrementAndGet();
          if (!r.headers().containsKey("retry-after")
              || !"Write queue full".equals(r.body().path("title").asText())) {
            withoutRetryAfter.incrementAndGet();
          }
        } else {
          throw new IllegalStateException("write answered " + r.status() + ": " + r.body());
        }
      }
      pool.shutdown();

      TreeMap<String, Integer> states = new TreeMap<>();
      int failedByRateLimit = 0;
      int notSucceeded = 0;
      Instant firstStart = null;
      Instant lastFinish = null;
      Duration wait = deadline.plusMinutes(2);
      for (String op : accepted) {
        JsonNode done = api.awaitTerminal(tenant, op, wait, Duration.ofMillis(500));
        String state = done.path("state").asText();
        states.merge(
            state + (done.has("code") ? " " + done.path("code").asText() : ""), 1, Integer::sum);
        if (!"SUCCEEDED".equals(state)) {
          notSucceeded++;
          String code = done.path("code").asText();
          if (code.equals("RATE_LIMITED") || code.equals("DEADLINE_PASSED")) {
            failedByRateLimit++;
          }
          continue;
        }
        Instant started = Instant.parse(done.path("startedAt").asText());
        Instant finished = Instant.parse(done.path("finishedAt").asText());
        firstStart = firstStart == null || started.isBefore(firstStart) ? started : firstStart;
        lastFinish = lastFinish == null || finished.isAfter(lastFinish) ? finished : lastFinish;
      }
      double minutes =
          firstStart == null ? 0 : Duration.between(firstStart, lastFinish).toMillis() / 60_000.0;
      double drain = minutes <= 0 ? -1 : (accepted.size() - notSucceeded) / minutes;
      return new Figures(
          offered,
          accepted.size(),
          refused.get(),
          withoutRetryAfter.get(),
          failedByRateLimit,
          notSucceeded,
          drain,
          maxPosition,
          states);
    } finally {
      stack.close();
    }
  }

  /** The write API with the run's deadline (the worker reads each write's own deadline). */
  private static WritebackWiring shortened(dev.xerosync.common.Environment env, Duration deadline) {
    WritebackWiring w = WritebackWiring.forApi(env);
    Outbox.Admission a = new Outbox.Admission(w.outbox().admission().perMinute(), deadline);
    return new WritebackWiring(
        w.outbox().with(a),
        w.executor(),
        w.dryRun(),
        w.operations(),
        w.redelivery(),
        w.grants(),
        w.settingsTokens(),
        w.clock());
  }

  private static String invoice() {
    return "{\"contact\":{\"externalId\":\"dc-1\",\"name\":\"Drain Customer\"},\"status\":"
        + "\"AUTHORISED\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Thing\",\"quantity\":1,\"unitAmount\":10,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }
}
