package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault injection switched at runtime, reproducible from the seed. */
class XeroSimulatorFaultsIntegrationTest {
  WebhookReceiver receiver = new WebhookReceiver();
  XeroSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
    receiver.close();
  }

  List<Integer> statuses(long seed, double rate, int calls) {
    try (XeroSimulator s = XeroSimulator.builder().app("app", "x").seed(seed).start()) {
      SimOrganisation org = s.createOrganisation("Org");
      String token = s.grant("app", org.tenantId()).accessToken();
      s.faults().serverErrors(rate);
      SimHttp http = new SimHttp(s.baseUrl());
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        out.add(http.get("/api.xro/2.0/Organisation", token, org.tenantId()).status());
      }
      return out;
    }
  }

  @Test
  void serverErrorsAtARateReproducibleFromSeed() {
    List<Integer> a = statuses(11, 0.3, 50);
    assertThat(a).isEqualTo(statuses(11, 0.3, 50));
    long errors = a.stream().filter(s -> s >= 500).count();
    assertThat(errors).isBetween(5L, 30L);
    assertThat(a).allMatch(s -> s == 200 || s == 500 || s == 503);
    assertThat(statuses(11, 1.0, 5)).allMatch(s -> s >= 500);
  }

  @Test
  void forced429sOfEachKindThenNormalService() {
    sim = XeroSimulator.builder().app("app", "x").start();
    SimOrganisation org = sim.createOrganisation("Org");
    String token = sim.grant("app", org.tenantId()).accessToken();
    SimHttp http = new SimHttp(sim.baseUrl());
    for (String kind : List.of("concurrent", "minute", "day", "appminute")) {
      sim.faults().force429(kind, 1);
      SimHttp.Resp r = http.get("/api.xro/2.0/Invoices", token, org.tenantId());
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.header("X-Rate-Limit-Problem")).isEqualTo(kind);
      assertThat(r.header("Retry-After")).isNotBlank();
      assertThat(r.header("X-DayLimit-Remaining")).isNotBlank();
    }
    assertThat(http.get("/api.xro/2.0/Invoices", token, org.tenantId()).status()).isEqualTo(200);
  }

  List<JsonNode> payloads() throws Exception {
    assertThat(sim.awaitDeliveriesIdle(Duration.ofSeconds(5))).isTrue();
    List<JsonNode> out = new ArrayList<>();
    for (var r : receiver.received) {
      out.add(XeroJson.MAPPER.readTree(r.body()));
    }
    return out;
  }

  @Test
  void droppedDuplicatedAndReorderedWebhooks() throws Exception {
    sim = XeroSimulator.builder().app("app", "x").webhookUrl(receiver.url()).start();
    SimOrganisation org = sim.createOrganisation("Org");

    sim.faults().dropWebhooks(1.0);
    org.createContact("Lost");
    assertThat(payloads()).isEmpty();

    sim.faults().clear().duplicateWebhooks(1.0);
    org.createContact("Twice");
    List<JsonNode> dup = payloads();
    assertThat(dup).hasSize(2);
    assertThat(dup.get(0)).isEqualTo(dup.get(1));

    receiver.received.clear();
    sim.faults().clear().reorderWebhooks(1.0);
    org.createContact("First");
    payloads();
    Thread.sleep(100);
    org.createContact("Second");
    List<JsonNode> re = payloads();
    assertThat(re).extracting(p -> p.get("firstEventSequence").asLong()).containsExactly(4L, 3L);
  }
}
