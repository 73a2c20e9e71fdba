package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.webhooks.Delivery;
import dev.xerosync.infra.xero.webhooks.WebhookDispatcher;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries as Xero sends them: payload shape, signature over the raw body, batching,
 * intent to receive, retries.
 */
class XeroSimulatorWebhooksIntegrationTest {
  static final String KEY = "a-webhook-key-from-the-developer-portal";
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00.123Z"));
  WebhookReceiver receiver = new WebhookReceiver();
  XeroSimulator sim;
  SimOrganisation org;

  @BeforeEach
  void start() {
    sim =
        XeroSimulator.builder()
            .clock(clock)
            .app("app", "secret")
            .webhookKey(KEY)
            .webhookUrl(receiver.url())
            .start();
    org = sim.createOrganisation("Org One");
  }

  @AfterEach
  void stop() {
    sim.close();
    receiver.close();
  }

  static String hmac(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  List<JsonNode> events() throws Exception {
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    List<JsonNode> all = new ArrayList<>();
    for (var r : receiver.received) {
      XeroJson.MAPPER.readTree(r.body()).get("events").forEach(all::add);
    }
    return all;
  }

  @Test
  void deliveryIsXeroPayloadSignedOverRawBody() throws Exception {
    String contact = org.createContact("Acme");
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(receiver.received).hasSize(1);
    var r = receiver.received.getFirst();
    assertThat(r.signature()).isEqualTo(hmac(KEY, r.body()));
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode p = XeroJson.MAPPER.readTree(r.body());
    assertThat(p.fieldNames())
        .toIterable()
        .containsExactly("events", "firstEventSequence", "lastEventSequence", "entropy");
    assertThat(p.get("entropy").asText()).matches("[A-Z]{20}");
    assertThat(p.get("firstEventSequence").asLong()).isEqualTo(1);
    assertThat(p.get("lastEventSequence").asLong()).isEqualTo(1);
    JsonNode e = p.get("events").get(0);
    assertThat(e.get("resourceUrl").asText())
        .isEqualTo(sim.baseUrl() + "/api.xro/2.0/Contacts/" + contact);
    assertThat(e.get("resourceId").asText()).isEqualTo(contact);
    assertThat(e.get("eventDateUtc").asText()).isEqualTo("2026-03-01T10:00:00.123");
    assertThat(e.get("eventType").asText()).isEqualTo("CREATE");
    assertThat(e.get("eventCategory").asText()).isEqualTo("CONTACT");
    assertThat(e.get("tenantId").asText()).isEqualTo(org.tenantId());
    assertThat(e.get("tenantType").asText()).isEqualTo("ORGANISATION");
    assertThat(sim.deliveries()).extracting(Delivery::status).containsExactly(200);
  }

  @Test
  void changesWithinTheWindowShareOneDeliveryWithRunningSequence() throws Exception {
    // A wider window than the 50 ms default keeps this deterministic on a loaded machine.
    sim.close();
    sim =
        XeroSimulator.builder()
            .clock(clock)
            .app("app", "secret")
            .webhookKey(KEY)
            .webhookUrl(receiver.url())
            .webhookBatchWindow(Duration.ofMillis(300))
            .start();
    org = sim.createOrganisation("Org One");
    String c = org.createContact("Acme");
    String inv =
        org.createAuthorisedInvoice(
            c, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), BigDecimal.TEN);
    String pay = org.pay(inv, BigDecimal.TEN, LocalDate.of(2026, 1, 5), "r");
    org.reversePayment(pay);
    List<JsonNode> events = events();
    assertThat(receiver.received).hasSize(1);
    JsonNode p = XeroJson.MAPPER.readTree(receiver.received.getFirst().body());
    assertThat(p.get("firstEventSequence").asLong()).isEqualTo(1);
    assertThat(p.get("lastEventSequence").asLong()).isEqualTo(4);
    assertThat(events)
        .extracting(e -> e.get("eventCategory").asText() + " " + e.get("eventType").asText())
        .containsExactly("CONTACT CREATE", "INVOICE CREATE", "INVOICE UPDATE", "INVOICE UPDATE");
    assertThat(events.get(2).get("resourceId").asText()).isEqualTo(inv);

    Thread.sleep(400);
    org.voidInvoice(inv);
    events();
    assertThat(receiver.received).hasSize(2);
    JsonNode second = XeroJson.MAPPER.readTree(receiver.received.get(1).body());
    assertThat(second.get("firstEventSequence").asLong()).isEqualTo(5);
  }

  @Test
  void noUrlMeansNoDeliveriesAndUrlCanChangeAtRuntime() throws Exception {
    sim.webhookUrl(null);
    org.createContact("Quiet");
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(2))).isTrue();
    assertThat(receiver.received).isEmpty();
    sim.webhookUrl(receiver.url());
    org.createContact("Loud");
    assertThat(events()).hasSize(1);
  }

  @Test
  void intentToReceiveNeeds200ForGoodAnd401ForBadSignature() throws Exception {
    receiver.responder =
        (body, sig) -> {
          try {
            return hmac(KEY, body).equals(sig) ? 200 : 401;
          } catch (Exception e) {
            return 500;
          }
        };
    assertThat(sim.verifyWebhookSubscription()).isTrue();
    assertThat(sim.webhookStatus()).isEqualTo(WebhookDispatcher.Status.VERIFIED);
    JsonNode itr = XeroJson.MAPPER.readTree(receiver.received.getFirst().body());
    assertThat(itr.get("events")).isEmpty();
    assertThat(sim.deliveries()).allMatch(Delivery::intentToReceive);
    assertThat(sim.deliveries()).extracting(Delivery::correctlySigned).contains(true, false);

    receiver.responder = (body, sig) -> 200; // accepts everything: fails the check
    assertThat(sim.verifyWebhookSubscription()).isFalse();
    assertThat(sim.webhookStatus()).isEqualTo(WebhookDispatcher.Status.INTENT_FAILED);
    int before = receiver.received.size();
    org.createContact("Ignored");
    sim.awaitDeliveriesIdle(Duration.ofSeconds(2));
    assertThat(receiver.received).hasSize(before);
  }

  @Test
  void failedDeliveriesRetryWithBackoffThenDisableAfter24Hours() throws Exception {
    receiver.responder = (b, s) -> 500;
    org.createContact("Acme");
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(sim.pendingWebhookRetries()).isEqualTo(1);
    assertThat(receiver.received).hasSize(1);

    clock.advance(Duration.ofSeconds(59));
    Thread.sleep(100);
    assertThat(receiver.received).as("backoff not yet elapsed").hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    awaitReceived(2);
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(sim.deliveries().get(1).attempt()).isEqualTo(2);
    assertThat(receiver.received.get(1).text()).isEqualTo(receiver.received.get(0).text());

    receiver.responder = (b, s) -> 200;
    clock.advance(Duration.ofMinutes(2));
    awaitReceived(3);
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(sim.pendingWebhookRetries()).isZero();

    receiver.responder = (b, s) -> 503;
    org.createContact("Bolt");
    for (int i = 0; i < 40 && sim.webhookStatus() != WebhookDispatcher.Status.DISABLED; i++) {
      sim.awaitDeliveriesIdle(Duration.ofSeconds(5));
      clock.advance(Duration.ofHours(1));
      Thread.sleep(60);
    }
    assertThat(sim.webhookStatus()).isEqualTo(WebhookDispatcher.Status.DISABLED);
    Duration span =
        Duration.between(sim.deliveries().get(3).sentAt(), sim.deliveries().getLast().sentAt());
    assertThat(span).isGreaterThanOrEqualTo(Duration.ofHours(24)).isLessThan(Duration.ofHours(26));
  }

  void awaitReceived(int n) throws InterruptedException {
    for (int i = 0; i < 200 && receiver.received.size() < n; i++) {
      Thread.sleep(10);
    }
    assertThat(receiver.received).hasSize(n);
  }
}
