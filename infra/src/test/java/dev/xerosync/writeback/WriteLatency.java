package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write latency as a product sees it, without faults: each tenant's client pushes an authorised
 * invoice, waits for SUCCEEDED, reads it back through the query API, records a payment ("mark
 * paid"), waits for SUCCEEDED and reads the invoice back as paid. Tenants run side by side, so a
 * tenant's writes meet other tenants' in the queue and the worker. Accept-to-succeeded is timed by
 * the outbox's own timestamps (accepted, finished); read-your-write from the moment the client sees
 * SUCCEEDED until the query API shows the change. Operations that needed more than one pass are
 * counted: without faults, that is a tenant's rate budget holding the write back.
 */
final class WriteLatency {
  private WriteLatency() {}

  record Figures(
      int operations,
      long acceptToSucceededP50Ms,
      long acceptToSucceededP99Ms,
      long queuedP99Ms,
      long invoiceReadYourWriteP99Ms,
      long paymentReadYourWriteP99Ms,
      int heldBack,
      TreeMap<String, Integer> states) {
    List<String> lines() {
      long ryw = Math.max(invoiceReadYourWriteP99Ms, paymentReadYourWriteP99Ms);
      return List.of(
          "write-latency-operations: " + operations + " count",
          "write-accept-to-succeeded-p50-ms: " + acceptToSucceededP50Ms + " ms",
          "write-accept-to-succeeded-p99-ms: " + acceptToSucceededP99Ms + " ms",
          "write-queued-p99-ms: " + queuedP99Ms + " ms",
          "write-read-your-write-invoice-p99-ms: " + invoiceReadYourWriteP99Ms + " ms",
          "write-read-your-write-payment-p99-ms: " + paymentReadYourWriteP99Ms + " ms",
          "write-read-your-write-p99-ms: " + ryw + " ms",
          "write-latency-held-back: " + heldBack + " operations",
          "# terminal states: " + states);
    }
  }

  static Figures run(int tenants, int invoicesPerTenant) throws Exception {
    LocalStack stack = LocalStack.start(LocalStack.Options.defaults());
    try {
      WriteBackApi api = new WriteBackApi(stack);
      List<SimOrganisation> orgs = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        SimOrganisation org = stack.xero().createOrganisation("Latency " + t + " Ltd");
        stack.connect(org);
        orgs.add(org);
        String setup =
            api.send(
                    "PUT",
                    org.tenantId(),
                    "/settings/accounting",
                    "{\"paymentAccountCode\":\"090\"}",
                    "setup-" + t)
                .operationId();
        api.awaitTerminal(org.tenantId(), setup, Duration.ofSeconds(60));
      }
      List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
      List<Long> queued = Collections.synchronizedList(new ArrayList<>());
      List<Long> invoiceRyw = Collections.synchronizedList(new ArrayList<>());
      List<Long> paymentRyw = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger heldBack = new AtomicInteger();
      TreeMap<String, Integer> states = new TreeMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(tenants);
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        SimOrganisation org = orgs.get(t);
        int tenant = t;
        clients.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < invoicesPerTenant; i++) {
                    String id = "lat-" + tenant + "-" + i;
                    JsonNode push =
                        await(
                            api,
                            org,
                            api.send("PUT", org.tenantId(), "/invoices/" + id, invoice(tenant), id),
                            accepted,
                            queued,
                            heldBack,
                            states);
                    String invoiceId = push.path("xero").path("invoiceId").asText();
                    long seen = System.nanoTime();
                    while (api.get(org.tenantId(), "/invoices/" + invoiceId).status() != 200) {
                      WriteBackApi.sleep(5);
                    }
                    invoiceRyw.add((System.nanoTime() - seen) / 1_000_000);
                    await(
                        api,
                        org,
                        api.send(
                            "POST",
                            org.tenantId(),
                            "/invoices/" + id + "/payments",
                            "{\"paymentId\":\"" + id + "-p\",\"amount\":25}",
                            id + "-p"),
                        accepted,
                        queued,
                        heldBack,
                        states);
                    seen = System.nanoTime();
                    long deadline = seen + Duration.ofSeconds(120).toNanos();
                    while (System.nanoTime() < deadline) {
                      JsonNode inv = api.get(org.tenantId(), "/invoices/" + invoiceId).body();
                      if (new BigDecimal(inv.path("amountPaid").asText("0")).signum() > 0) {
                        break;
                      }
                      WriteBackApi.sleep(5);
                    }
                    paymentRyw.add((System.nanoTime() - seen) / 1_000_000);
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
      pool.shutdown();
      return new Figures(
          accepted.size(),
          WriteChaos.percentile(accepted, 50),
          WriteChaos.percentile(accepted, 99),
          WriteChaos.percentile(queued, 99),
          WriteChaos.percentile(invoiceRyw, 99),
          WriteChaos.percentile(paymentRyw, 99),
          heldBack.get(),
          states);
    } finally {
      stack.close();
    }
  }

  /** Waits for the accepted write to end, polling as a product would, and times it. */
  private static JsonNode await(
      WriteBackApi api,
      SimOrganisation org,
      WriteBackApi.Response sent,
      List<Long> accepted,
      List<Long> queued,
      AtomicInteger heldBack,
      TreeMap<String, Integer> states) {
    if (sent.status() != 202) {
      throw new AssertionError("write not accepted: " + sent.status() + " " + sent.body());
    }
    // Polled as a product might (ten times a second): the timing comes from the outbox's own
    // timestamps, and faster polling from every client would only load the machine it measures.
    JsonNode op =
        api.awaitTerminal(
            org.tenantId(), sent.operationId(), Duration.ofSeconds(120), Duration.ofMillis(100));
    synchronized (states) {
      states.merge(op.path("state").asText(), 1, Integer::sum);
    }
    if (!"SUCCEEDED".equals(op.path("state").asText())) {
      throw new AssertionError("write did not succeed: " + op);
    }
    if (op.path("attempts").asInt() > 1) {
      // Without faults, only the rate budget sends an operation round the queue again.
      heldBack.incrementAndGet();
    }
    Instant created = Instant.parse(op.path("createdAt").asText());
    accepted.add(
        Duration.between(created, Instant.parse(op.path("finishedAt").asText())).toMillis());
    queued.add(Duration.between(created, Instant.parse(op.path("startedAt").asText())).toMillis());
    return op;
  }

  private static String invoice(int tenant) {
    return "{\"contact\":{\"externalId\":\"lc-"
        + tenant
        + "\",\"name\":\"Latency Customer "
        + tenant
        + "\"},\"status\":\"AUTHORISED\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Thing\",\"quantity\":2,\"unitAmount\":25,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }
}
