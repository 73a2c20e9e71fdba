package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.Subscriptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class EventFanOutTest {
  private final LocalTable table = LocalTable.get();
  private final Subscriptions subscriptions = new Subscriptions(table.dynamoDb(), table.name());
  private final ConnectionRecords records = new ConnectionRecords(table.dynamoDb(), table.name());
  private final List<SendMessageBatchRequestEntry> sent = new ArrayList<>();
  private final SqsClient sqs =
      new SqsClient() {
        @Override
        public SendMessageBatchResponse sendMessageBatch(
            Consumer<SendMessageBatchRequest.Builder> request) {
          var r = SendMessageBatchRequest.builder();
          request.accept(r);
          sent.addAll(r.build().entries());
          return SendMessageBatchResponse.builder().build();
        }

        @Override
        public String serviceName() {
          return "sqs";
        }

        @Override
        public void close() {}
      };
  private final EventFanOut fanOut =
      new EventFanOut(subscriptions, records, new EventQueue(sqs, "queue"));
  private final String saas = "saas-" + UUID.randomUUID();

  @Test
  void queuesOneDeliveryPerMatchingSubscriptionInOrderGroupedBySubject() throws Exception {
    subscribe("sub_a", "invoice.paid", "invoice.part_paid");
    subscribe("sub_b", "invoice.*");
    subscribe("sub_c", "contact.archived");
    List<EventFanOut.Outbound> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(event("e" + i, i % 2 == 0 ? "invoice.paid" : "invoice.voided", "inv-" + (i % 3)));
    }

    int queued = fanOut.fanOut(saas, events);

    // 7 to sub_b (all invoice.*), 4 paid to sub_a, none to sub_c; in batches of at most 10.
    assertThat(queued).isEqualTo(11);
    assertThat(sent).hasSize(11);
    List<EventQueue.Delivery> deliveries = new ArrayList<>();
    for (var e : sent) {
      var d = EventQueue.Delivery.parse(e.messageBody());
      deliveries.add(d);
      assertThat(e.messageGroupId()).isEqualTo(d.subscriptionId() + "." + d.subjectId());
      assertThat(e.messageDeduplicationId()).hasSize(64);
    }
    assertThat(
            deliveries.stream()
                .filter(d -> d.subscriptionId().equals("sub_a"))
                .map(d -> d.eventId()))
        .containsExactly("e0", "e2", "e4", "e6");
    assertThat(
            deliveries.stream()
                .filter(d -> d.subscriptionId().equals("sub_b"))
                .map(d -> d.eventId()))
        .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6");
    assertThat(sent.stream().map(SendMessageBatchRequestEntry::messageDeduplicationId).distinct())
        .hasSize(11);
  }

  @Test
  void notificationsAlsoGoToTheNotificationUrlBusinessEventsDoNot() throws Exception {
    records.setNotificationUrl(saas, "https://example.com/hook");
    subscribe("sub_n", "connection.*");

    fanOut.fanOut(
        saas,
        List.of(
            event("n1", Notification.NEEDS_RECONNECT, "tenant-1"),
            event("b1", "invoice.paid", "inv-1")));

    assertThat(sent).hasSize(2);
    assertThat(sent.stream().map(e -> e.messageGroupId()))
        .containsExactlyInAnyOrder("sub_n.tenant-1", EventQueue.NOTIFICATION_URL + ".tenant-1");
  }

  @Test
  void nothingIsQueuedForATenantWithoutSubscriptions() {
    assertThat(fanOut.fanOut(saas, List.of(event("x", "invoice.paid", "inv")))).isZero();
    assertThat(sent).isEmpty();
  }

  @Test
  void categoriesMatchTheirTypesOnly() {
    assertThat(EventFanOut.matches(List.of("invoice.*"), "invoice.due_soon")).isTrue();
    assertThat(EventFanOut.matches(List.of("invoice.*"), "credit.refunded")).isFalse();
    assertThat(EventFanOut.matches(List.of("write.succeeded"), "write.failed")).isFalse();
  }

  private void subscribe(String id, String... types) {
    subscriptions.put(
        new Subscriptions.Subscription(
            saas, id, List.of(types), "https://example.com/" + id, Instant.now()));
  }

  private static EventFanOut.Outbound event(String id, String type, String subject) {
    return new EventFanOut.Outbound(id, type, subject, "{\"id\":\"" + id + "\"}");
  }
}
