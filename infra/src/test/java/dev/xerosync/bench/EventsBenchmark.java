package dev.xerosync.bench;

import dev.xerosync.events.EventDeliveryHandler;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.notify.BusinessEvent;
import dev.xerosync.notify.DeliveryBackoff;
import dev.xerosync.notify.SqsEventPublisher;
import dev.xerosync.testsupport.EventReceiver;
import dev.xerosync.testsupport.LocalEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event delivery. {@code ./dev bench EventsBenchmark}: (1) end to end, as the freshness benchmark
 * changes: 1,000 payments in the simulated Xero over 25 tenants at 20 a second, each timed from the
 * change to the subscriber's 2xx for its {@code invoice.part_paid} (event-latency-p50-ms, -p99-ms);
 * (2) the delivery alone: 1,000 events published as the worker publishes them, timed from the
 * publish (event-delivery-p50-ms, -p99-ms); (3) faults: 300 events over 30 invoices to a subscriber
 * that answers 30% of requests with 500, hangs past the 10 s timeout on 2%, and is down for 10
 * minutes in the middle, with the retry schedule and the outage both compressed 100 times (10
 * minutes are 6 s; the first waits of 5 s and 30 s become SQS's 1 s minimum). Every event is
 * checked once by id: events-lost (never accepted), events-duplicated (accepted twice),
 * events-out-of-order (accepted after a later event of its invoice). {@code quick}, CI's smoke run:
 * 20 payments over 5 tenants at 10 a second, 40 events, then 40 over 10 invoices with a 3 s outage
 * and the retry schedule compressed 30,000 times: every wait, its 8 hours too, becomes SQS's least
 * redelivery of 1 s, so an event refused many times in a row does not idle the run through the
 * later waits (compressed 1,000 times, one refused 9 times held its invoice's events for 56 s).
 */
public final class EventsBenchmark {
  private EventsBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
    long compression = quick ? 30_000 : 100;
    Figures figures = Figures.to(System.out);
    figures.require(
        "event-latency-changes",
        "event-latency-p50-ms",
        "event-latency-p99-ms",
        "event-delivery-p50-ms",
        "event-delivery-p99-ms",
        "events-under-faults",
        "events-lost",
        "events-duplicated",
        "events-out-of-order",
        "events-refused-by-receiver");
    figures.run(
        () -> {
          try (LocalStack stack =
              LocalStack.start(
                  new LocalStack.Options(0, 0, 8, null, 1.0, Map.of())
                      .withHandler(
                          "EventDeliveryFunction",
                          env ->
                              new EventDeliveryHandler(
                                  env, DeliveryBackoff.STANDARD.compressed(compression))))) {
            endToEnd(stack, figures, quick ? 5 : 25, quick ? 4 : 40, quick ? 10 : 20);
            latency(stack, figures, quick ? 40 : 1000);
            faults(
                stack,
                figures,
                quick ? 40 : 300,
                quick ? 10 : 30,
                Duration.ofSeconds(quick ? 3 : 6));
          }
        });
  }

  /**
   * From a payment made in the simulated Xero to the subscriber's 2xx for its {@code
   * invoice.part_paid}: the webhook, the sync worker's fetch, the derivation in the store's
   * transaction, the publish and the delivery. One payment per invoice, spread round-robin over
   * {@code tenants} (each stays under Xero's 60 calls a minute), {@code perSecond} a second.
   */
  private static void endToEnd(
      LocalStack stack, Figures figures, int tenants, int invoicesEach, int perSecond)
      throws Exception {
    try (EventReceiver receiver = new EventReceiver()) {
      receiver.subscribe(stack.apiUrl(), stack.adminApiKey(), "bench-e2e", "invoice.*");
      var connections =
          new dev.xerosync.store.Connections(
              stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
      java.time.LocalDate today = java.time.LocalDate.now();
      List<dev.xerosync.infra.xero.SimOrganisation> orgs = new ArrayList<>();
      List<List<String>> invoices = new ArrayList<>();
      // Books that exist before the app is connected raise no webhooks to it (Xero sends them for
      // connected organisations only): the initial sync brings them in. Their webhooks used to
      // queue a change sync ahead of each tenant's initial sync (14 s of a 24 s connect at load
      // average 22).
      stack.xero().faults().dropWebhooks(1.0);
      for (int t = 0; t < tenants; t++) {
        var org = stack.xero().createOrganisation("Events Bench " + t);
        String contact = org.createContact("Customer " + t);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < invoicesEach; i++) {
          ids.add(
              org.createAuthorisedInvoice(
                  contact,
                  today.minusDays(3),
                  today.plusDays(27),
                  new java.math.BigDecimal("100.00")));
        }
        orgs.add(org);
        invoices.add(ids);
      }
      stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(30));
      stack.xero().faults().clear();
      for (var org : orgs) {
        LocalEvents.own(stack, org.tenantId(), "bench-e2e");
        stack.connect(org);
      }
      for (var org : orgs) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (connections
            .get(org.tenantId())
            .map(c -> c.status() != dev.xerosync.store.ConnectionStatus.CONNECTED)
            .orElse(true)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(org.name() + ": initial sync did not finish");
          }
          Thread.sleep(100);
        }
      }
      Map<String, Long> changedAt = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      long period = 1_000_000_000L / perSecond;
      int n = 0;
      for (int i = 0; i < invoicesEach; i++) {
        for (int t = 0; t < tenants; t++) {
          long wait = start + n++ * period - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          String invoice = invoices.get(t).get(i);
          changedAt.put(invoice, System.nanoTime());
          orgs.get(t).pay(invoice, new java.math.BigDecimal("10.00"), today, "bench " + i);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Map<String, Long> firstAt = new HashMap<>();
      while (System.nanoTime() < deadline) {
        firstAt.clear();
        for (var r : receiver.received()) {
          if (r.body().path("type").asText().equals("invoice.part_paid")) {
            firstAt.putIfAbsent(r.body().path("subjectId").asText(), r.atNanos());
          }
        }
        if (firstAt.keySet().containsAll(changedAt.keySet())) {
          break;
        }
        Thread.sleep(200);
      }
      List<Long> millis = new ArrayList<>();
      changedAt.forEach(
          (invoice, at) -> {
            Long got = firstAt.get(invoice);
            if (got != null) {
              millis.add((got - at) / 1_000_000);
            }
          });
      if (millis.size() < changedAt.size()) {
        figures.problem(
            (changedAt.size() - millis.size()) + " payments never arrived as invoice.part_paid");
      }
      millis.sort(null);
      figures.out().println("event-latency-changes: " + millis.size());
      figures.out().println("event-latency-p50-ms: " + percentile(millis, 50) + " ms");
      figures.out().println("event-latency-p99-ms: " + percentile(millis, 99) + " ms");
      figures.out().println("event-latency-max-ms: " + millis.get(millis.size() - 1) + " ms");
      if (receiver.duplicated() > 0) {
        figures.problem(receiver.duplicated() + " events accepted twice in the latency run");
      }
    }
  }

  /** From the publish to the subscriber's 2xx: the delivery path alone. */
  private static void latency(LocalStack stack, Figures figures, int events) throws Exception {
    try (EventReceiver receiver = new EventReceiver()) {
      String tenant = UUID.randomUUID().toString();
      receiver.subscribe(stack.apiUrl(), stack.adminApiKey(), "bench-latency", "invoice.*");
      LocalEvents.own(stack, tenant, "bench-latency");
      SqsEventPublisher publisher = LocalEvents.publisher(stack);
      Map<String, Long> published = new ConcurrentHashMap<>();
      List<String> ids = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < events; i++) {
        // 20 a second, on schedule: a slow publish does not stretch the run.
        long due = start + i * 50_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String id = "lat-" + i + "-" + UUID.randomUUID();
        ids.add(id);
        BusinessEvent e =
            LocalEvents.invoiceEvent(id, "invoice.paid", tenant, "inv-" + (i % 25), i + 1);
        published.put(id, System.nanoTime());
        publisher.publish(List.of(e));
      }
      if (!receiver.awaitAll(ids, Duration.ofSeconds(60))) {
        figures.problem("events never delivered in the latency run");
      }
      List<Long> millis = new ArrayList<>();
      for (var r : receiver.received()) {
        Long sent = published.get(r.id());
        if (sent != null) {
          millis.add((r.atNanos() - sent) / 1_000_000);
        }
      }
      millis.sort(null);
      figures.out().println("event-delivery-events: " + millis.size());
      figures.out().println("event-delivery-p50-ms: " + percentile(millis, 50) + " ms");
      figures.out().println("event-delivery-p99-ms: " + percentile(millis, 99) + " ms");
    }
  }

  private static void faults(
      LocalStack stack, Figures figures, int events, int invoices, Duration outage)
      throws Exception {
    try (EventReceiver receiver = new EventReceiver()) {
      String tenant = UUID.randomUUID().toString();
      receiver.subscribe(stack.apiUrl(), stack.adminApiKey(), "bench-faults", "invoice.*");
      LocalEvents.own(stack, tenant, "bench-faults");
      receiver.faults(0.3, 0.02);
      SqsEventPublisher publisher = LocalEvents.publisher(stack);
      Map<String, Long> sequenceOf = new HashMap<>();
      long started = System.nanoTime();
      for (int i = 0; i < events; i++) {
        if (i == events / 2) {
          receiver.down(true);
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(outage);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    receiver.down(false);
                  });
        }
        String id = "flt-" + i + "-" + UUID.randomUUID();
        sequenceOf.put(id, (long) i + 1);
        publisher.publish(
            List.of(
                LocalEvents.invoiceEvent(
                    id,
                    i % 3 == 0 ? "invoice.part_paid" : "invoice.paid",
                    tenant,
                    "inv-" + (i % invoices),
                    i + 1)));
        Thread.sleep(20);
      }
      receiver.awaitAll(sequenceOf.keySet(), Duration.ofMinutes(5));
      Thread.sleep(3000); // a duplicate would arrive by now
      long lost = sequenceOf.keySet().stream().filter(id -> !receiver.has(id)).count();
      Map<String, Long> lastBySubject = new HashMap<>();
      long outOfOrder = 0;
      for (var r : receiver.received()) {
        String subject = r.body().path("subjectId").asText();
        long seq = r.body().path("sequence").asLong();
        Long last = lastBySubject.get(subject);
        if (last != null && seq < last) {
          outOfOrder++;
        } else {
          lastBySubject.put(subject, seq);
        }
      }
      figures.out().println("events-under-faults: " + events);
      figures.out().println("events-lost: " + lost);
      figures.out().println("events-duplicated: " + receiver.duplicated());
      figures.out().println("events-out-of-order: " + outOfOrder);
      figures.out().println("events-refused-by-receiver: " + receiver.refused());
      figures
          .out()
          .println(
              "events-faults-all-delivered-s: "
                  + (System.nanoTime() - started) / 1_000_000_000
                  + " s");
      if (receiver.badSignatures() > 0) {
        figures.problem(receiver.badSignatures() + " deliveries failed signature verification");
      }
      // Their targets are 0: any other count is the channel failing, whatever the run's size.
      if (lost > 0 || receiver.duplicated() > 0 || outOfOrder > 0) {
        figures.problem(
            "under faults: "
                + lost
                + " lost, "
                + receiver.duplicated()
                + " duplicated, "
                + outOfOrder
                + " out of order");
      }
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
