package dev.xerosync.query;

import static dev.xerosync.query.QuerySeed.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of our OpenAPI document is called, with successes, conditional requests, bad
 * parameters, missing and foreign keys, and missing things; every response must conform to the
 * document.
 */
class QueryOpenApiConformanceIntegrationTest {
  static final Instant NOW = Instant.parse("2026-03-10T22:00:00Z");
  static final String T = "aaaaaaaa-5555-4555-8555-000000000001";
  static final String OTHER = "bbbbbbbb-5555-4555-8555-000000000002";
  static final String C = "cccccccc-5555-4555-8555-000000000003";
  static final String SUPPLIER = "cccccccc-5555-4555-8555-000000000004";
  static final String NO_ORG = "dddddddd-5555-4555-8555-000000000005";

  static QueryTable table;
  static QueryApi api;
  static String key;
  static String noOrgKey;
  static final List<String> INVOICES = new ArrayList<>();

  @BeforeAll
  static void seed() {
    table = QueryTable.create();
    api = new QueryApi(table, NOW);
    QuerySeed seed = new QuerySeed(table);
    seed.organisation(T, "!conf", "Europe/London");
    seed.contact(T, C, "Conformance Customer", true);
    seed.contact(T, SUPPLIER, "Conformance Supplier", false);
    LocalDate d = LocalDate.parse("2026-01-05");
    String[] statuses = {
      "AUTHORISED", "PAID", "DRAFT", "VOIDED", "AUTHORISED", "SUBMITTED", "DELETED", "AUTHORISED"
    };
    for (int i = 0; i < statuses.length; i++) {
      String id = String.format("eeeeeeee-5555-4555-8555-%012d", i);
      INVOICES.add(id);
      String paid = "PAID".equals(statuses[i]) ? "80.00" : i == 4 ? "30.00" : "0";
      seed.upsert(
          T,
          invoice(
              id,
              "CONF-" + i,
              i == 7 ? "ACCPAY" : "ACCREC",
              statuses[i],
              C,
              d.plusDays(i * 9),
              i == 0 ? null : d.plusDays(i * 9 + 30),
              i % 2 == 0 ? "GBP" : "EUR",
              "80.00",
              paid,
              i == 1 ? "0" : "0"));
    }
    // A tenant whose organisation is not synced yet: no deep links, UTC.
    seed.upsert(
        NO_ORG,
        invoice(
            "eeeeeeee-5555-4555-8555-999999999999",
            null,
            "ACCREC",
            "AUTHORISED",
            C,
            null,
            null,
            "USD",
            "1.00",
            "0",
            "0"));
    key = api.newKey(T);
    noOrgKey = api.newKey(NO_ORG);
  }

  @AfterAll
  static void stop() {
    table.close();
  }

  static QueryApi.Response post(String path, String body) {
    return api.call("POST", key, path, body, Map.of());
  }

  @Test
  void everyResponseConformsToTheDocument() {
    String tenant = "/tenants/" + T;
    String contact = tenant + "/contacts/" + C;
    String record = tenant + "/records/deal/D-17";

    // meta
    var doc = api.get(null, "/openapi.yaml");
    assertThat(doc.status()).isEqualTo(200);
    api.call("GET", null, "/openapi.yaml", null, Map.of("If-None-Match", doc.header("ETag")));
    api.get(null, "/openapi.yaml", "format", "json");

    // contact views, with every view, filters, paging, 304, 400, 401, 403, 404
    for (String view : List.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all")) {
      api.get(key, contact + "/invoices", "view", view, "type", "ANY");
    }
    var page =
        api.get(
            key,
            contact + "/invoices",
            "view",
            "all",
            "limit",
            "2",
            "status",
            "AUTHORISED,PAID,DRAFT",
            "from",
            "2026-01-01",
            "to",
            "2026-12-31",
            "currency",
            "gbp");
    api.get(
        key,
        contact + "/invoices",
        "view",
        "all",
        "limit",
        "2",
        "status",
        "AUTHORISED,PAID,DRAFT",
        "from",
        "2026-01-01",
        "to",
        "2026-12-31",
        "currency",
        "gbp",
        "cursor",
        page.json().path("nextCursor").asText());
    api.get(key, contact + "/invoices", "number", "conf-", "match", "prefix", "type", "ACCPAY");
    api.get(key, contact + "/invoices", "number", "CONF-4", "match", "exact");
    api.call(
        "GET",
        key,
        contact + "/invoices",
        null,
        Map.of("If-None-Match", api.get(key, contact + "/invoices").header("ETag")));
    api.get(key, contact + "/invoices", "limit", "0");
    api.get(key, contact + "/invoices", "cursor", "garbage");
    api.get(key, contact + "/invoices", "customersOnly", "maybe");
    api.get(null, contact + "/invoices");
    api.get(key, "/tenants/" + OTHER + "/contacts/" + C + "/invoices");
    api.get(key, tenant + "/contacts/" + SUPPLIER + "/invoices");
    api.get(key, tenant + "/contacts/" + SUPPLIER + "/invoices", "customersOnly", "false");
    api.get(key, tenant + "/contacts/not-a-uuid/invoices");
    api.get(noOrgKey, "/tenants/" + NO_ORG + "/contacts/" + C + "/invoices", "view", "open");

    // totals, aging, invoice detail
    api.get(key, contact + "/totals");
    api.get(key, contact + "/totals", "type", "ANY");
    api.get(key, contact + "/totals", "type", "X");
    api.get(key, contact + "/aging");
    api.get(key, contact + "/aging", "type", "ANY");
    api.get(key, tenant + "/aging");
    api.get(key, tenant + "/aging", "bucket", "30");
    api.get(key, tenant + "/invoices/" + INVOICES.get(4));
    api.get(key, tenant + "/invoices/" + INVOICES.get(1));
    api.get(noOrgKey, "/tenants/" + NO_ORG + "/invoices/eeeeeeee-5555-4555-8555-999999999999");
    api.get(key, tenant + "/invoices/" + "eeeeeeee-5555-4555-8555-000000000777");
    api.get(key, tenant + "/invoices/123");

    // records: links, pins, views, totals, aging
    assertThat(post(record + "/links", "{\"contactId\":\"" + C + "\"}").status()).isEqualTo(201);
    assertThat(post(record + "/links", "{\"contactId\":\"" + C + "\"}").status()).isEqualTo(200);
    post(record + "/links", "{\"contactId\":\"" + SUPPLIER + "\"}");
    post(record + "/links", "{\"contact\":\"" + C + "\"}");
    post(record + "/links", "not json");
    post(tenant + "/records/lead/1/links", "{\"contactId\":\"" + C + "\"}");
    assertThat(post(record + "/pins", "{\"invoiceId\":\"" + INVOICES.get(2) + "\"}").status())
        .isEqualTo(201);
    post(record + "/pins", "{\"invoiceId\":\"" + INVOICES.get(2) + "\"}");
    post(record + "/pins", "{\"invoiceId\":\"" + INVOICES.get(1) + "\"}");
    post(record + "/pins", "{\"invoiceId\":\"eeeeeeee-5555-4555-8555-000000000777\"}");
    api.get(key, record);
    for (String view :
        List.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all", "pinned")) {
      api.get(key, record + "/invoices", "view", view);
    }
    var pinned = api.get(key, record + "/invoices", "view", "pinned", "limit", "1");
    api.get(
        key,
        record + "/invoices",
        "view",
        "pinned",
        "limit",
        "1",
        "cursor",
        pinned.json().path("nextCursor").asText());
    api.get(key, record + "/invoices", "number", "CONF", "view", "all", "type", "ANY");
    api.get(key, record + "/invoices", "view", "late");
    api.get(key, record + "/totals");
    api.get(key, record + "/aging");
    api.get(key, tenant + "/records/account/unlinked/invoices");
    api.get(key, tenant + "/records/account/unlinked/totals");
    assertThat(
            api.call("DELETE", key, record + "/pins/" + INVOICES.get(2), null, Map.of()).status())
        .isEqualTo(204);
    api.call("DELETE", key, record + "/pins/" + INVOICES.get(2), null, Map.of());
    assertThat(api.call("DELETE", key, record + "/links/" + C, null, Map.of()).status())
        .isEqualTo(204);
    api.call("DELETE", key, record + "/links/" + C, null, Map.of());
    api.call("DELETE", key, tenant + "/records/deal/bad%2Fid/links/" + C, null, Map.of());

    events(tenant);
    panelRoutes();

    List<String> violations = new ArrayList<>();
    for (QueryApi.Exchange e : api.exchanges) {
      violations.addAll(OpenApiConformance.violations(e));
    }
    assertThat(violations).isEmpty();

    // Every operation was exercised, and so was every kind of response the API gives.
    Set<String> operations = new HashSet<>();
    Set<Integer> statuses = new HashSet<>();
    for (QueryApi.Exchange e : api.exchanges) {
      operations.add(e.method() + " " + e.template());
      statuses.add(e.response().getStatusCode());
    }
    Set<String> documented = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = QueryApi.OPENAPI.path("paths").fields();
        it.hasNext(); ) {
      var p = it.next();
      p.getValue()
          .fieldNames()
          .forEachRemaining(
              m -> {
                if (!QueryApi.isWriteOperation(p.getValue().path(m))) {
                  documented.add(m.toUpperCase() + " " + p.getKey());
                }
              });
    }
    assertThat(operations).containsExactlyInAnyOrderElementsOf(documented);
    assertThat(statuses).contains(200, 201, 204, 304, 400, 401, 403, 404);
  }

  /** The replay of the tenant's business events: pages, a type filter, and what it refuses. */
  private void events(String tenant) {
    // Logged on the real clock: the local table expires items past their TTL by the real clock.
    var log =
        new dev.xerosync.store.EventLog(table.dynamo, table.name, java.time.Clock.systemUTC());
    for (String type : List.of("invoice.created", "invoice.authorised", "invoice.paid")) {
      var data =
          dev.xerosync.common.Json.MAPPER.createObjectNode().put("invoiceId", INVOICES.get(0));
      var previous =
          type.equals("invoice.paid")
              ? dev.xerosync.common.Json.MAPPER.createObjectNode().put("status", "AUTHORISED")
              : null;
      log.append(
          T,
          List.of(
              new dev.xerosync.store.EventDraft(
                  "evt_conformance_" + type, type, INVOICES.get(0), NOW, data, previous)));
    }
    var first = api.get(key, tenant + "/events", "limit", "2");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().path("events")).hasSize(2);
    var rest = api.get(key, tenant + "/events", "after", first.json().path("nextCursor").asText());
    assertThat(rest.json().path("events")).hasSize(1);
    assertThat(rest.json().path("events").get(0).path("previous").path("status").asText())
        .isEqualTo("AUTHORISED");
    api.get(key, tenant + "/events", "types", "invoice.paid,invoice.overdue");
    api.get(key, tenant + "/events", "types", "invoice.nope");
    api.get(key, tenant + "/events", "limit", "0");
    api.get(key, tenant + "/events", "after", "garbage");
    api.get(key, tenant + "/events", "cursor", "x");
    api.get(null, tenant + "/events");
    api.get(key, "/tenants/" + OTHER + "/events");
  }

  /**
   * The panel's routes, and the query routes with a panel token: what it may read and pin, and what
   * it may not.
   */
  private void panelRoutes() {
    String tokens = "/tenants/" + T + "/panel-tokens";
    var json = Map.of("Content-Type", "application/json");
    var minted =
        api.call("POST", key, tokens, "{\"recordType\":\"deal\",\"recordId\":\"d-1\"}", json);
    assertThat(minted.status()).isEqualTo(201);
    String token = minted.json().path("token").asText();
    assertThat(
            api.call("POST", key, tokens, "{\"recordType\":\"lead\",\"recordId\":\"x\"}", json)
                .status())
        .isEqualTo(400);
    assertThat(
            api.call(
                    "POST",
                    key,
                    tokens,
                    "{\"recordType\":\"deal\",\"recordId\":\"d-1\",\"ttlSeconds\":3600}",
                    json)
                .status())
        .as("at most 15 minutes")
        .isEqualTo(400);
    assertThat(api.call("POST", null, tokens, "{}", json).status()).isEqualTo(401);
    assertThat(api.call("POST", key, "/tenants/" + OTHER + "/panel-tokens", "{}", json).status())
        .isEqualTo(403);
    // The settings page's token: no body needed; a panel token does not mint one.
    String settingsTokens = "/tenants/" + T + "/settings-tokens";
    var settings = api.call("POST", key, settingsTokens, null, json);
    assertThat(settings.status()).isEqualTo(201);
    assertThat(settings.json().path("token").asText()).startsWith("xst_");
    assertThat(settings.json().path("audience").asText()).isEqualTo("settings");
    assertThat(api.call("POST", key, settingsTokens, "{\"ttlSeconds\":3600}", json).status())
        .isEqualTo(400);
    assertThat(api.call("POST", null, settingsTokens, "{}", json).status()).isEqualTo(401);
    assertThat(api.call("POST", key, "/tenants/" + OTHER + "/settings-tokens", "{}", json).status())
        .isEqualTo(403);
    String origins = "/tenants/" + T + "/panel-origins";
    assertThat(
            api.call("PUT", key, origins, "{\"origins\":[\"https://crm.example.com\"]}", json)
                .status())
        .isEqualTo(200);
    assertThat(
            api.call("PUT", key, origins, "{\"origins\":[\"http://crm.example.com/x\"]}", json)
                .status())
        .isEqualTo(400);
    // One origin at a time: added beside the others, removed alone, bad ones refused.
    var added =
        api.call("POST", key, origins, "{\"origin\":\"https://Other.example.com:8443\"}", json);
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json().path("origins").toString())
        .isEqualTo("[\"https://crm.example.com\",\"https://other.example.com:8443\"]");
    assertThat(api.call("POST", key, origins, "{\"origin\":\"ftp://x.example\"}", json).status())
        .isEqualTo(400);
    assertThat(api.call("POST", key, origins, "{\"origins\":[]}", json).status()).isEqualTo(400);
    assertThat(api.call("POST", null, origins, "{\"origin\":\"https://a.example\"}", json).status())
        .isEqualTo(401);
    assertThat(
            api.call(
                    "POST",
                    key,
                    "/tenants/" + OTHER + "/panel-origins",
                    "{\"origin\":\"https://a.example\"}",
                    json)
                .status())
        .isEqualTo(403);
    assertThat(api.get(key, origins).json().path("origins").size()).isEqualTo(2);
    assertThat(api.get(null, origins).status()).isEqualTo(401);
    assertThat(api.get(key, "/tenants/" + OTHER + "/panel-origins").status()).isEqualTo(403);
    var removed =
        api.call(
            "DELETE", key, origins, null, Map.of(), "origin", "https://other.example.com:8443");
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().path("origins").toString())
        .isEqualTo("[\"https://crm.example.com\"]");
    assertThat(
            api.call("DELETE", key, origins, null, Map.of(), "origin", "https://gone.example")
                .status())
        .isEqualTo(404);
    assertThat(api.call("DELETE", key, origins, null, Map.of(), "origin", "not a url").status())
        .isEqualTo(400);
    assertThat(
            api.call("DELETE", null, origins, null, Map.of(), "origin", "https://a.example")
                .status())
        .isEqualTo(401);
    assertThat(
            api.call(
                    "DELETE",
                    key,
                    "/tenants/" + OTHER + "/panel-origins",
                    null,
                    Map.of(),
                    "origin",
                    "https://a.example")
                .status())
        .isEqualTo(403);
    for (int i = 0; i < 9; i++) {
      api.call("POST", key, origins, "{\"origin\":\"https://n" + i + ".example\"}", json);
    }
    assertThat(
            api.call("POST", key, origins, "{\"origin\":\"https://full.example\"}", json).status())
        .as("at most 10 origins")
        .isEqualTo(409);
    api.call("PUT", key, origins, "{\"origins\":[\"https://crm.example.com\"]}", json);

    var bearer = Map.of("Authorization", "Bearer " + token, "Origin", "https://crm.example.com");
    String status = "/tenants/" + T + "/panel-status";
    var s = api.call("GET", null, status, null, bearer);
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.header("Access-Control-Allow-Origin")).isEqualTo("https://crm.example.com");
    var again = new java.util.HashMap<>(bearer);
    again.put("If-None-Match", s.header("ETag"));
    assertThat(api.call("GET", null, status, null, again).status()).isEqualTo(304);
    assertThat(
            api.call("GET", null, status, null, Map.of("Authorization", "Bearer xsp_forged"))
                .status())
        .isEqualTo(401);

    // The record's reads and pins work with the token, from the allowed origin only.
    String deal = "/tenants/" + T + "/records/deal/d-1";
    var list = api.call("GET", null, deal + "/invoices", null, bearer);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.header("Access-Control-Allow-Origin")).isEqualTo("https://crm.example.com");
    var elsewhere = Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example");
    assertThat(
            api.call("GET", null, deal + "/invoices", null, elsewhere)
                .header("Access-Control-Allow-Origin"))
        .isNull();
    assertThat(api.call("GET", null, deal + "/totals", null, bearer).status()).isEqualTo(200);
    // Another record, a link, a contact route, the tenant's aging: all refused.
    assertThat(
            api.call("GET", null, "/tenants/" + T + "/records/deal/d-2/invoices", null, bearer)
                .status())
        .isEqualTo(403);
    assertThat(
            api.call(
                    "POST",
                    null,
                    deal + "/links",
                    "{\"contactId\":\"" + C + "\"}",
                    merge(bearer, json))
                .status())
        .isEqualTo(403);
    assertThat(
            api.call("GET", null, "/tenants/" + T + "/contacts/" + C + "/invoices", null, bearer)
                .status())
        .isEqualTo(403);
    assertThat(api.call("GET", null, "/tenants/" + T + "/aging", null, bearer).status())
        .isEqualTo(403);
    // An invoice's detail only when it is the record's: not linked yet, so 404; linked, 200.
    String invoice = "/tenants/" + T + "/invoices/" + INVOICES.get(0);
    assertThat(api.call("GET", null, invoice, null, bearer).status()).isEqualTo(404);
    api.call("POST", key, deal + "/links", "{\"contactId\":\"" + C + "\"}", json);
    assertThat(api.call("GET", null, invoice, null, bearer).status()).isEqualTo(200);
    assertThat(
            api.call(
                    "POST",
                    null,
                    deal + "/pins",
                    "{\"invoiceId\":\"" + INVOICES.get(0) + "\"}",
                    merge(bearer, json))
                .status())
        .isEqualTo(201);
    assertThat(api.call("DELETE", null, deal + "/pins/" + INVOICES.get(0), null, bearer).status())
        .isEqualTo(204);
    api.call("DELETE", key, deal + "/links/" + C, null, Map.of());
    // Expired after 15 minutes.
    api.clock.advance(java.time.Duration.ofMinutes(16));
    assertThat(api.call("GET", null, deal + "/invoices", null, bearer).status()).isEqualTo(401);
    api.clock.set(NOW);

    var module = api.get(null, "/panel/xero-invoice-panel.js");
    assertThat(module.status()).isEqualTo(200);
    assertThat(module.body()).contains("customElements.define(\"xero-invoice-panel\"");
    assertThat(
            api.call(
                    "GET",
                    null,
                    "/panel/xero-invoice-panel.js",
                    null,
                    Map.of("If-None-Match", module.header("ETag")))
                .status())
        .isEqualTo(304);
    var connection = api.get(null, "/panel/xero-connection.js");
    assertThat(connection.status()).isEqualTo(200);
    assertThat(connection.body()).contains("customElements.define(\"xero-connection\"");
    var page = api.get(null, "/panel", "tenant", T, "recordType", "deal", "recordId", "d-1");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors https://crm.example.com")
        .doesNotContain("unsafe");
    assertThat(api.get(null, "/panel", "tenant", T, "recordType", "deal").status()).isEqualTo(400);
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new java.util.HashMap<>(a);
    m.putAll(b);
    return m;
  }

  @Test
  void theCheckerCatchesAResponseThatDepartsFromTheDocument() {
    var ok = api.get(key, "/tenants/" + T + "/contacts/" + C + "/totals");
    var exchange = api.exchanges.get(api.exchanges.size() - 1);
    assertThat(OpenApiConformance.violations(exchange)).isEmpty();
    var broken =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent()
            .withStatusCode(200)
            .withHeaders(ok.headers())
            .withBody(ok.body().replaceFirst("\"count\":\\d+", "\"count\":\"many\""));
    assertThat(
            OpenApiConformance.violations(
                new QueryApi.Exchange(exchange.method(), exchange.template(), Map.of(), broken)))
        .anyMatch(v -> v.contains("count"));
    var undocumented =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent()
            .withStatusCode(418)
            .withHeaders(ok.headers())
            .withBody(ok.body());
    assertThat(
            OpenApiConformance.violations(
                new QueryApi.Exchange(
                    exchange.method(), exchange.template(), Map.of(), undocumented)))
        .anyMatch(v -> v.contains("status not documented"));
    var extraField =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent()
            .withStatusCode(200)
            .withHeaders(ok.headers())
            .withBody(ok.body().replaceFirst("\\{", "{\"surprise\":1,"));
    assertThat(
            OpenApiConformance.violations(
                new QueryApi.Exchange(
                    exchange.method(), exchange.template(), Map.of(), extraField)))
        .isNotEmpty();
  }
}
