package dev.xerosync.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.notify.BusinessEvent;
import dev.xerosync.notify.DeliveryBackoff;
import dev.xerosync.testsupport.EventReceiver;
import dev.xerosync.testsupport.LocalEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events through the local stack: published as the deriving worker publishes them, fanned out to
 * subscriptions made through the API, queued on EventQueue and sent by EventDeliveryFunction,
 * hosted as Lambda hosts it. The backoff is compressed 10,000 times (each of the 10 waits becomes 1
 * to 3 s) so the whole 24-hour schedule, dead-letter queue included, runs in seconds.
 */
class EventDeliveryIntegrationTest {
  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            new LocalStack.Options(0, 0, 8, null, 1.0, Map.of())
                .withHandler(
                    "EventDeliveryFunction",
                    env ->
                        new EventDeliveryHandler(
                            env, DeliveryBackoff.STANDARD.compressed(10_000))));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyEventArrivesOnceSignedInOrderPerInvoiceThroughFaultsAndAnOutage() throws Exception {
    try (var flaky = new EventReceiver();
        var healthy = new EventReceiver()) {
      String tenant = UUID.randomUUID().toString();
      String other = UUID.randomUUID().toString();
      flaky.subscribe(stack.apiUrl(), stack.adminApiKey(), "flaky-saas", "invoice.*");
      healthy.subscribe(
          stack.apiUrl(), stack.adminApiKey(), "healthy-saas", "invoice.paid", "invoice.part_paid");
      LocalEvents.own(stack, tenant, "flaky-saas");
      LocalEvents.own(stack, other, "healthy-saas");
      var publisher = LocalEvents.publisher(stack);
      flaky.faults(0.3, 0.02);

      Map<String, List<String>> bySubject = new LinkedHashMap<>();
      List<String> flakyIds = new ArrayList<>();
      long sequence = 0;
      for (int round = 0; round < 8; round++) {
        if (round == 4) {
          flaky.down(true);
        }
        List<BusinessEvent> batch = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
          String invoice = "inv-" + s;
          String id = "evt-" + round + "-" + s + "-" + UUID.randomUUID();
          batch.add(
              LocalEvents.invoiceEvent(
                  id,
                  round % 2 == 0 ? "invoice.part_paid" : "invoice.paid",
                  tenant,
                  invoice,
                  ++sequence));
          bySubject.computeIfAbsent(invoice, k -> new ArrayList<>()).add(id);
          flakyIds.add(id);
        }
        publisher.publish(batch);
      }
      // Another tenant's subscriber is served while the flaky one is down.
      List<String> healthyIds = new ArrayList<>();
      List<BusinessEvent> otherBatch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "other-" + i + "-" + UUID.randomUUID();
        otherBatch.add(
            LocalEvents.invoiceEvent(id, "invoice.paid", other, "inv-o" + (i % 3), i + 1));
        healthyIds.add(id);
      }
      publisher.publish(otherBatch);
      assertThat(healthy.awaitAll(healthyIds, Duration.ofSeconds(20)))
          .as("the healthy subscriber's events while the other is down")
          .isTrue();
      Thread.sleep(3000);
      flaky.down(false);

      assertThat(flaky.awaitAll(flakyIds, Duration.ofSeconds(150)))
          .as("every event after 30% 500s, timeouts and an outage")
          .isTrue();
      Thread.sleep(2000); // anything sent twice would arrive by now
      assertThat(flaky.refused()).as("the faults happened").isPositive();
      assertThat(flaky.badSignatures()).isZero();
      assertThat(flaky.duplicated()).as("accepted twice").isZero();
      assertThat(flaky.received()).hasSize(flakyIds.size());
      for (var subject : bySubject.entrySet()) {
        assertThat(
                flaky.received().stream()
                    .filter(r -> r.body().path("subjectId").asText().equals(subject.getKey()))
                    .map(EventReceiver.Received::id))
            .as("events of " + subject.getKey() + " in order")
            .containsExactlyElementsOf(subject.getValue());
      }
      var first = flaky.received().get(0);
      assertThat(first.body().path("tenantId").asText()).isEqualTo(tenant);
      assertThat(first.body().path("data").path("invoiceId").asText())
          .isEqualTo(first.body().path("subjectId").asText());
      assertThat(healthy.duplicated()).isZero();
      assertThat(healthy.received()).hasSize(healthyIds.size());
    }
  }

  @Test
  void aSubscriberThatNeverAnswersGetsTenTriesThenTheDeadLetterQueue() throws Exception {
    try (var broken = new EventReceiver()) {
      String tenant = UUID.randomUUID().toString();
      broken.subscribe(stack.apiUrl(), stack.adminApiKey(), "broken-saas", "invoice.*");
      LocalEvents.own(stack, tenant, "broken-saas");
      broken.faults(1.0, 0);
      String id = "dead-" + UUID.randomUUID();
      LocalEvents.publisher(stack)
          .publish(List.of(LocalEvents.invoiceEvent(id, "invoice.paid", tenant, "inv-d", 1)));

      String dlq = stack.aws().resources().queueUrl("EventDeadLetterQueue");
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      String dead = null;
      while (dead == null && System.nanoTime() < deadline) {
        var messages =
            stack.aws().sqs().receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(1)).messages();
        dead =
            messages.stream()
                .map(m -> m.body())
                .filter(b -> b.contains(id))
                .findFirst()
                .orElse(null);
      }
      assertThat(dead).as("the delivery in EventDeadLetterQueue").isNotNull();
      assertThat(broken.requests()).isEqualTo(DeliveryBackoff.STANDARD.attempts());
    }
  }
}
