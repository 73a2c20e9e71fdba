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
 * Event delivery. {@code ./dev bench EventsBenchmark}: (1) latency on a quiet receiver, 1,000
 * events over 25 invoices at the freshness benchmark's 20 a second, each published as the worker
 * publishes a change's events, timed from the publish to the subscriber's 2xx
 * (event-latency-p50-ms, -p99-ms); (2) faults: 300 events over 30 invoices to a subscriber that
 * answers 30% of requests with 500, hangs past the 10 s timeout on 2%, and is down for 10 minutes
 * in the middle, with the retry schedule and the outage both compressed 100 times (10 minutes are 6
 * s; the first waits of 5 s and 30 s become SQS's 1 s minimum). Every event is checked once by id:
 * events-lost (never accepted), events-duplicated (accepted twice), events-out-of-order (accepted
 * after a later event of its invoice). {@code quick}: 100 events, then 60 with a 3 s outage.
 */
public final class EventsBenchmark {
  private EventsBenchmark() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("quick");
    Figures figures = Figures.to(System.out);
    figures.require(
        "event-latency-events",
        "event-latency-p50-ms",
        "event-latency-p99-ms",
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
                                  env, DeliveryBackoff.STANDARD.compressed(100))))) {
            latency(stack, figures, quick ? 100 : 1000);
            faults(stack, figures, quick ? 60 : 300, Duration.ofSeconds(quick ? 3 : 6));
          }
        });
  }

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
      figures.out().println("event-latency-events: " + millis.size());
      figures.out().println("event-latency-p50-ms: " + percentile(millis, 50) + " ms");
      figures.out().println("event-latency-p99-ms: " + percentile(millis, 99) + " ms");
      figures.out().println("event-latency-max-ms: " + millis.get(millis.size() - 1) + " ms");
    }
  }

  private static void faults(LocalStack stack, Figures figures, int events, Duration outage)
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
                    "inv-" + (i % 30),
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
