package dev.xerosync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.notify.DeliveryBackoff;
import dev.xerosync.notify.EventDelivery;
import dev.xerosync.notify.OutboundUrls;
import dev.xerosync.notify.WebhookSignature;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.Subscriptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDeliveryHandlerTest {
  private static final String KEY = "deployment-signing-key";

  private final LocalTable table = LocalTable.get();
  private final Subscriptions subscriptions = new Subscriptions(table.dynamoDb(), table.name());
  private final String saas = "saas-" + UUID.randomUUID();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final Set<String> refuse = ConcurrentHashMap.newKeySet();
  private final Map<String, Duration> waits = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final EventDeliveryHandler handler;

  EventDeliveryHandlerTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          try (x) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = x.getRequestHeaders().getFirst(WebhookSignature.ID);
            String secret = new WebhookSignature(KEY).secret(saas, "sub_1");
            boolean valid =
                WebhookSignature.verify(
                    secret,
                    id,
                    Long.parseLong(x.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP)),
                    body,
                    x.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE));
            if (!valid || refuse.contains(id)) {
              x.sendResponseHeaders(valid ? 500 : 401, -1);
              return;
            }
            received.add(id);
            x.sendResponseHeaders(204, -1);
          }
        });
    server.start();
    subscriptions.put(
        new Subscriptions.Subscription(
            saas,
            "sub_1",
            List.of("invoice.*"),
            "http://127.0.0.1:" + server.getAddress().getPort() + "/events",
            Instant.now()));
    handler =
        new EventDeliveryHandler(
            new EventDelivery(
                subscriptions,
                new ConnectionRecords(table.dynamoDb(), table.name()),
                KEY,
                HttpClient.newHttpClient(),
                Clock.systemUTC(),
                new OutboundUrls(
                    true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()})),
            waits::put,
            DeliveryBackoff.STANDARD);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aFailureHoldsBackTheRestOfItsGroupOnlyAndComesBackAfterTheBackoff() {
    refuse.add("a1");
    SQSBatchResponse r =
        handler.handleRequest(
            batch(
                message("a1", "inv-a", 1),
                message("b1", "inv-b", 1),
                message("a2", "inv-a", 1),
                message("b2", "inv-b", 1),
                message("a3", "inv-a", 3)),
            null);

    assertThat(r.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()))
        .containsExactly("m-a1", "m-a2", "m-a3");
    assertThat(received).containsExactly("b1", "b2");
    // The group waits as long as its first failure's backoff says, followers included.
    assertThat(waits).containsOnlyKeys("r-a1", "r-a2", "r-a3");
    assertThat(waits.values()).containsOnly(Duration.ofSeconds(5));
  }

  @Test
  void theWaitGrowsWithTheReceiveCount() {
    refuse.add("a1");
    handler.handleRequest(batch(message("a1", "inv-a", 4)), null);
    assertThat(waits.get("r-a1")).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aDeletedSubscriptionsDeliveriesAreDroppedNotRetried() {
    subscriptions.delete(saas, "sub_1");
    SQSBatchResponse r = handler.handleRequest(batch(message("a1", "inv-a", 1)), null);
    assertThat(r.getBatchItemFailures()).isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void anUnreadableMessageIsKeptForTheDeadLetterQueue() {
    SQSEvent.SQSMessage m = message("a1", "inv-a", 1);
    m.setBody("not json");
    assertThat(handler.handleRequest(batch(m), null).getBatchItemFailures()).hasSize(1);
  }

  private SQSEvent.SQSMessage message(String eventId, String subject, int receiveCount) {
    var m = new SQSEvent.SQSMessage();
    m.setMessageId("m-" + eventId);
    m.setReceiptHandle("r-" + eventId);
    m.setBody(
        "{\"saasTenantId\":\""
            + saas
            + "\",\"subscriptionId\":\"sub_1\",\"eventId\":\""
            + eventId
            + "\",\"type\":\"invoice.paid\",\"subjectId\":\""
            + subject
            + "\",\"body\":\"{\\\"id\\\":\\\""
            + eventId
            + "\\\"}\"}");
    m.setAttributes(
        Map.of("MessageGroupId", "sub_1." + subject, "ApproximateReceiveCount", "" + receiveCount));
    return m;
  }

  private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
    var e = new SQSEvent();
    e.setRecords(new ArrayList<>(List.of(messages)));
    return e;
  }
}
