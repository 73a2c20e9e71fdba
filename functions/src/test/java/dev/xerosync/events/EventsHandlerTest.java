package dev.xerosync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.Json;
import dev.xerosync.notify.BusinessEvents;
import dev.xerosync.notify.EventPublishers;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.EventReplay;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Invoices;
import dev.xerosync.store.LocalTable;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replay route: tenant-checked, in order, cursor-paged, and 400 for what it cannot serve. */
class EventsHandlerTest {
  private static EventsHandler handler;
  private static InvoiceStore store;

  @BeforeAll
  static void start() {
    LocalTable table = LocalTable.get();
    EventLog log = new EventLog(table.dynamoDb(), table.name(), Clock.systemUTC());
    handler = new EventsHandler(new EventReplay(log));
    store =
        new InvoiceStore(
            table.dynamoDb(),
            table.name(),
            Clock.systemUTC(),
            new BusinessEvents(new EventRelay(log, EventPublishers.NOT_DELIVERED)));
  }

  private static APIGatewayProxyResponseEvent get(
      String tenant, String keyTenant, Map<String, String> query) {
    return handler.handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource("/tenants/{tenantId}/events")
            .withPath("/tenants/" + tenant + "/events")
            .withPathParameters(Map.of("tenantId", tenant))
            .withQueryStringParameters(query)
            .withRequestContext(TenantCredential.apiKey(keyTenant, "k1").requestContext()),
        null);
  }

  private static JsonNode body(APIGatewayProxyResponseEvent r) throws Exception {
    return Json.MAPPER.readTree(r.getBody());
  }

  private static String tenantWithThreeInvoices() {
    String tenant = UUID.randomUUID().toString();
    for (int i = 0; i < 3; i++) {
      store.upsert(
          tenant,
          Invoices.version(
              UUID.randomUUID().toString(),
              "contact-1",
              "DRAFT",
              "100",
              "100",
              Instant.parse("2026-11-01T10:00:00Z").plusSeconds(i),
              List.of()));
    }
    return tenant;
  }

  @Test
  void pagesThroughTheTenantsEventsInOrderWithTheCursor() throws Exception {
    String tenant = tenantWithThreeInvoices();
    var first = get(tenant, tenant, Map.of("limit", "2"));
    assertThat(first.getStatusCode()).isEqualTo(200);
    JsonNode page = body(first);
    assertThat(page.path("events")).hasSize(2);
    assertThat(page.path("hasMore").asBoolean()).isTrue();
    assertThat(page.path("events").get(0).path("sequence").asLong()).isEqualTo(1);
    assertThat(page.path("events").get(0).path("type").asText()).isEqualTo("invoice.created");
    assertThat(page.path("events").get(0).path("tenantId").asText()).isEqualTo(tenant);
    assertThat(page.path("events").get(0).path("data").path("status").asText()).isEqualTo("DRAFT");
    assertThat(page.path("events").get(0).path("occurredAt").asText())
        .isEqualTo("2026-11-01T10:00:00Z");

    JsonNode rest =
        body(get(tenant, tenant, Map.of("after", page.path("nextCursor").asText(), "limit", "2")));
    assertThat(rest.path("events")).hasSize(1);
    assertThat(rest.path("events").get(0).path("sequence").asLong()).isEqualTo(3);
    assertThat(rest.path("hasMore").asBoolean()).isFalse();
    // Polling from the end: nothing yet, and the same cursor to poll with again.
    JsonNode end = body(get(tenant, tenant, Map.of("after", rest.path("nextCursor").asText())));
    assertThat(end.path("events")).isEmpty();
    assertThat(end.path("nextCursor").asText()).isEqualTo(rest.path("nextCursor").asText());
  }

  @Test
  void filtersByType() throws Exception {
    String tenant = tenantWithThreeInvoices();
    assertThat(body(get(tenant, tenant, Map.of("types", "invoice.paid"))).path("events")).isEmpty();
    assertThat(
            body(get(tenant, tenant, Map.of("types", "invoice.paid,invoice.created")))
                .path("events"))
        .hasSize(3);
  }

  @Test
  void refusesAnotherTenantsKeyAndCursorAndBadParameters() throws Exception {
    String tenant = tenantWithThreeInvoices();
    String other = tenantWithThreeInvoices();
    assertThat(get(tenant, other, Map.of()).getStatusCode()).isEqualTo(403);
    String othersCursor = body(get(other, other, Map.of())).path("nextCursor").asText();
    var refused = get(tenant, tenant, Map.of("after", othersCursor));
    assertThat(refused.getStatusCode()).isEqualTo(400);
    assertThat(refused.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
    Map<String, String> bad = new HashMap<>();
    for (var params :
        List.of(
            Map.of("after", "not-a-cursor"),
            Map.of("types", "invoice.nope"),
            Map.of("limit", "0"),
            Map.of("limit", "501"),
            Map.of("limit", "ten"),
            Map.of("cursor", "x"))) {
      bad.clear();
      bad.putAll(params);
      assertThat(get(tenant, tenant, bad).getStatusCode()).as(params.toString()).isEqualTo(400);
    }
    assertThat(get("not-a-uuid", tenant, Map.of()).getStatusCode()).isEqualTo(400);
  }
}
