package dev.xerosync.query;

import static dev.xerosync.query.QuerySeed.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every endpoint refuses another tenant's data, even where two tenants hold the same contact and
 * invoice ids; API keys are stored only as hashes and stop working once revoked.
 */
class QueryTenantIsolationIntegrationTest {
  static final Instant NOW = Instant.parse("2026-11-20T01:00:00Z");
  static final String A = "aaaaaaaa-1111-4111-8111-000000000001";
  static final String B = "bbbbbbbb-2222-4222-8222-000000000002";
  static final String C = "cccccccc-3333-4333-8333-000000000003";
  static final String SHARED_INVOICE = "12345678-0000-4000-8000-000000000001";
  static final String B_ONLY_INVOICE = "12345678-0000-4000-8000-000000000002";

  static QueryTable table;
  static QueryApi api;
  static String keyA;
  static String keyB;

  @BeforeAll
  static void seed() {
    table = QueryTable.create();
    api = new QueryApi(table, NOW);
    QuerySeed seed = new QuerySeed(table);
    LocalDate d = LocalDate.parse("2026-11-01");
    for (String t : List.of(A, B)) {
      seed.organisation(t, "!" + t.substring(0, 4), "UTC");
      seed.contact(t, C, "Same contact id in " + t.substring(0, 4), true);
    }
    seed.upsert(
        A,
        invoice(
            SHARED_INVOICE,
            "A-1",
            "ACCREC",
            "AUTHORISED",
            C,
            d,
            d.plusDays(30),
            "NZD",
            "11.00",
            "0",
            "0"));
    seed.upsert(
        B,
        invoice(
            SHARED_INVOICE,
            "B-1",
            "ACCREC",
            "AUTHORISED",
            C,
            d,
            d.plusDays(30),
            "NZD",
            "22.00",
            "0",
            "0"));
    seed.upsert(
        B,
        invoice(
            B_ONLY_INVOICE,
            "B-2",
            "ACCREC",
            "AUTHORISED",
            C,
            d.plusDays(1),
            d.plusDays(31),
            "NZD",
            "33.00",
            "0",
            "0"));
    keyA = api.newKey(A);
    keyB = api.newKey(B);
    assertThat(
            api.call(
                    "POST",
                    keyB,
                    "/tenants/" + B + "/records/deal/d1/links",
                    "{\"contactId\":\"" + C + "\"}",
                    Map.of())
                .status())
        .isEqualTo(201);
    assertThat(
            api.call(
                    "POST",
                    keyB,
                    "/tenants/" + B + "/records/deal/d1/pins",
                    "{\"invoiceId\":\"" + B_ONLY_INVOICE + "\"}",
                    Map.of())
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    table.close();
  }

  /** Every tenant route of the OpenAPI document, with its path filled for {@code tenant}. */
  static List<String[]> routes(String tenant) {
    List<String[]> routes = new java.util.ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = QueryApi.OPENAPI.path("paths").fields();
        it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().contains("{tenantId}")) {
        continue;
      }
      String path =
          e.getKey()
              .replace("{tenantId}", tenant)
              .replace("{contactId}", C)
              .replace("{invoiceId}", B_ONLY_INVOICE)
              .replace("{recordType}", "deal")
              .replace("{recordId}", "d1");
      for (Iterator<String> methods = e.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        // The write API is another function's (WriteApiFunction); its own tests cover it.
        if (!QueryApi.isWriteOperation(e.getValue().path(method))) {
          routes.add(new String[] {method.toUpperCase(), path});
        }
      }
    }
    return routes;
  }

  static String body(String method, String path) {
    if (!method.equals("POST")) {
      return null;
    }
    return path.endsWith("/links")
        ? "{\"contactId\":\"" + C + "\"}"
        : "{\"invoiceId\":\"" + B_ONLY_INVOICE + "\"}";
  }

  @Test
  void everyEndpointRefusesAKeyOfAnotherTenant() {
    List<String[]> routes = routes(B);
    // 13 query routes, the event replay, and the panel's token, settings token, origins (list, add,
    // remove, replace) and status routes.
    assertThat(routes).hasSize(21);
    for (String[] r : routes) {
      var response = api.call(r[0], keyA, r[1], body(r[0], r[1]), Map.of());
      assertThat(response.status()).as(r[0] + " " + r[1]).isEqualTo(403);
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.body()).doesNotContain("22.00", "33.00", "B-1", "B-2");
    }
    // Nothing was written to or removed from B's record by A's attempts.
    JsonNode record = api.get(keyB, "/tenants/" + B + "/records/deal/d1").json();
    assertThat(record.path("contacts")).hasSize(1);
    assertThat(
            api.get(keyB, "/tenants/" + B + "/records/deal/d1/invoices", "view", "pinned")
                .json()
                .path("invoices"))
        .hasSize(1);
  }

  @Test
  void everyEndpointRefusesNoKeyAndAWrongKey() {
    for (String[] r : routes(A)) {
      var none = api.call(r[0], null, r[1], body(r[0], r[1]), Map.of());
      assertThat(none.status()).as(r[0] + " " + r[1]).isEqualTo(401);
      var wrong = api.call(r[0], keyA + "x", r[1], body(r[0], r[1]), Map.of());
      assertThat(wrong.status()).as(r[0] + " " + r[1]).isEqualTo(401);
    }
  }

  @Test
  void theSameIdsInAnotherTenantNeverLeakIn() {
    JsonNode inv = api.get(keyA, "/tenants/" + A + "/invoices/" + SHARED_INVOICE).json();
    assertThat(inv.path("total").decimalValue()).isEqualByComparingTo("11.00");
    assertThat(api.get(keyA, "/tenants/" + A + "/invoices/" + B_ONLY_INVOICE).status())
        .isEqualTo(404);
    JsonNode list =
        api.get(keyA, "/tenants/" + A + "/contacts/" + C + "/invoices", "view", "all").json();
    assertThat(list.path("invoices")).hasSize(1);
    assertThat(list.path("invoices").get(0).path("invoiceNumber").asText()).isEqualTo("A-1");
    JsonNode totals = api.get(keyA, "/tenants/" + A + "/contacts/" + C + "/totals").json();
    assertThat(totals.path("totals").get(0).path("unpaid").path("amount").decimalValue())
        .isEqualByComparingTo("11.00");
    JsonNode aging = api.get(keyA, "/tenants/" + A + "/aging").json();
    assertThat(aging.path("currencies").get(0).path("total").path("amount").decimalValue())
        .isEqualByComparingTo("11.00");
    // A's record of the same type and id is its own: no links, no pins; B's invoice cannot be
    // pinned from A.
    assertThat(api.get(keyA, "/tenants/" + A + "/records/deal/d1").json().path("contacts"))
        .isEmpty();
    assertThat(
            api.call(
                    "POST",
                    keyA,
                    "/tenants/" + A + "/records/deal/d1/pins",
                    "{\"invoiceId\":\"" + B_ONLY_INVOICE + "\"}",
                    Map.of())
                .status())
        .isEqualTo(404);
    assertThat(
            api.get(keyA, "/tenants/" + A + "/records/deal/d1/invoices", "view", "pinned")
                .json()
                .path("invoices"))
        .isEmpty();
  }

  @Test
  void aCursorFromAnotherTenantsListingIsRefused() {
    String cursor =
        api.get(keyB, "/tenants/" + B + "/contacts/" + C + "/invoices", "view", "all", "limit", "1")
            .json()
            .path("nextCursor")
            .asText();
    assertThat(cursor).isNotEmpty();
    var r =
        api.get(
            keyA,
            "/tenants/" + A + "/contacts/" + C + "/invoices",
            "view",
            "all",
            "limit",
            "1",
            "cursor",
            cursor);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("detail").asText()).contains("cursor belongs to a different listing");
  }

  @Test
  void keysAreStoredAsHashesAndRevocationTakesEffectWithinTheCacheWindow() throws Exception {
    ApiKeys keys = new ApiKeys(table.dynamo, table.name, api.clock);
    ApiKeys.IssuedKey issued = keys.create(A, "revoke-me");
    assertThat(issued.secret()).startsWith("xsk_" + issued.keyId() + "_").hasSizeGreaterThan(60);
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(issued.secret().getBytes(StandardCharsets.UTF_8)));
    var lookup =
        table
            .dynamo
            .getItem(
                r ->
                    r.tableName(table.name)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS(Keys.apiKeyPk(hash)),
                                "sk",
                                AttributeValue.fromS(Keys.API_KEY_SK))))
            .item();
    assertThat(lookup.get("tenantId").s()).isEqualTo(A);
    var entries =
        table
            .dynamo
            .query(
                q ->
                    q.tableName(table.name)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS(Keys.tenantApiKeysPk(A)))))
            .items();
    assertThat(entries).isNotEmpty();
    for (var item : List.of(lookup)) {
      assertThat(item.values()).noneMatch(v -> v.s() != null && v.s().contains(issued.secret()));
    }
    for (var item : entries) {
      assertThat(item.values())
          .noneMatch(v -> v.s() != null && v.s().contains(issued.secret().substring(25)));
    }

    String path = "/tenants/" + A + "/aging";
    assertThat(api.get(issued.secret(), path).status()).isEqualTo(200);
    assertThat(keys.revoke(A, issued.keyId())).isTrue();
    assertThat(keys.revoke(A, issued.keyId())).isFalse();
    assertThat(keys.revoke(B, issued.keyId())).as("another tenant cannot revoke it").isFalse();
    api.clock.advance(Duration.ofSeconds(31));
    try {
      assertThat(api.get(issued.secret(), path).status()).isEqualTo(401);
      assertThat(keys.list(A))
          .anyMatch(k -> k.keyId().equals(issued.keyId()) && k.revokedAt() != null);
    } finally {
      api.clock.set(NOW);
    }
  }
}
