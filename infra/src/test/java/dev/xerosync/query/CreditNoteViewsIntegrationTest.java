package dev.xerosync.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A contact's credit notes through API Gateway, synced from the simulator: listed among its
 * invoices only when asked for, paged by one cursor across both kinds, in the totals' balance
 * story, every answer held against the OpenAPI document.
 */
class CreditNoteViewsIntegrationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static LocalStack stack;
  private static SimOrganisation org;
  private static String key;
  private static String contact;
  private static final Map<String, String> numbers = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
    org = stack.xero().createOrganisation("Credit Views Ltd");
    contact = org.createContact("Customer");
    LocalDate today = LocalDate.now(org.timezone());
    // Invoices 10, 20 and 30 days old; a credit note between the first two with 30.00 of its
    // 100.00 allocated to the oldest invoice, and a used-up one 25 days old.
    List<String> invoices = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String id =
          org.createAuthorisedInvoice(
              contact, today.minusDays(10L * i), today.plusDays(20), new BigDecimal("200.00"));
      invoices.add(id);
      numbers.put(id, org.invoice(id).invoice().invoiceNumber());
    }
    String open =
        org.creditNoteFor(contact, new BigDecimal("100.00"), today.minusDays(15), "RMA 7");
    org.allocate(open, invoices.get(2), new BigDecimal("30.00"), today);
    String used = org.creditNoteFor(contact, new BigDecimal("12.34"), today.minusDays(25));
    org.allocate(used, invoices.get(1), new BigDecimal("12.34"), today);
    numbers.put(open, org.credit(open).number());
    numbers.put(used, org.credit(used).number());
    stack.connect(org);
    Connections connections =
        new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
    await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .isPresent(),
        "initial sync");
    key = stack.issueApiKey(org.tenantId(), "credit views").secret();
    // The initial sync reads invoices; the reconcile sweep reads the credit notes.
    stack.schedules().fire("ReconcileFunction");
    await(
        () -> totals().path("creditNotes").path("used").path("count").asInt() == 1,
        "credit notes synced");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  static void await(java.util.function.BooleanSupplier done, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " not within 90 s");
  }

  static QueryApi.Response get(String path, Map<String, String> query) {
    String template = path.replace(org.tenantId(), "{tenantId}").replace(contact, "{contactId}");
    template = template.replaceFirst("/records/deal/[^/]+", "/records/{recordType}/{recordId}");
    StringBuilder q = new StringBuilder();
    query.forEach(
        (k, v) ->
            q.append(q.isEmpty() ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(stack.apiUrl() + "/tenants/" + org.tenantId() + path + q))
                  .header("x-api-key", key)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, String> headers = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> headers.put(k, String.join(",", v)));
      var exchange =
          new QueryApi.Exchange(
              "GET",
              "/tenants/{tenantId}" + template,
              query,
              new APIGatewayProxyResponseEvent()
                  .withStatusCode(r.statusCode())
                  .withHeaders(headers)
                  .withBody(r.body()));
      assertThat(OpenApiConformance.violations(exchange)).as(path + " " + query).isEmpty();
      return new QueryApi.Response(r.statusCode(), headers, r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode totals() {
    JsonNode body = get("/contacts/" + contact + "/totals", Map.of()).json();
    return body.path("totals").path(0);
  }

  /** Every row's number, following nextCursor page by page. */
  static List<String> rows(String path, Map<String, String> query) {
    List<String> out = new ArrayList<>();
    Map<String, String> q = new LinkedHashMap<>(query);
    for (int page = 0; page < 20; page++) {
      QueryApi.Response r = get(path, q);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      for (JsonNode row : r.json().path("invoices")) {
        out.add(
            row.path("kind").asText()
                + " "
                + row.path(
                        "CREDIT_NOTE".equals(row.path("kind").asText())
                            ? "creditNoteNumber"
                            : "invoiceNumber")
                    .asText());
      }
      if (r.json().path("nextCursor").isNull()) {
        return out;
      }
      q.put("cursor", r.json().path("nextCursor").asText());
    }
    throw new AssertionError("the listing never ended");
  }

  @Test
  void creditNotesAreListedAmongTheInvoicesOnlyWhenAskedForAcrossPages() throws Exception {
    String path = "/contacts/" + contact + "/invoices";
    List<String> invoicesOnly = rows(path, Map.of("view", "all", "limit", "1"));
    assertThat(invoicesOnly).hasSize(3).allMatch(r -> r.startsWith("INVOICE "));
    List<String> both = rows(path, Map.of("view", "all", "limit", "1", "creditNotes", "include"));
    assertThat(both).hasSize(5);
    assertThat(both.get(1)).startsWith("CREDIT_NOTE ");
    assertThat(both.get(3)).startsWith("CREDIT_NOTE ");
    assertThat(both.stream().filter(r -> r.startsWith("INVOICE ")).toList())
        .isEqualTo(invoicesOnly);
    assertThat(rows(path, Map.of("view", "unpaid", "limit", "2", "creditNotes", "only")))
        .singleElement()
        .asString()
        .startsWith("CREDIT_NOTE ");
    assertThat(rows(path, Map.of("view", "paid", "creditNotes", "only"))).hasSize(1);
    assertThat(rows(path, Map.of("view", "overdue", "creditNotes", "include"))).isEmpty();
    assertThat(rows(path, Map.of("number", "cn-", "creditNotes", "include"))).hasSize(2);

    JsonNode row =
        get(path, Map.of("view", "open", "creditNotes", "only")).json().path("invoices").path(0);
    assertThat(row.path("kind").asText()).isEqualTo("CREDIT_NOTE");
    assertThat(row.path("type").asText()).isEqualTo("ACCRECCREDIT");
    assertThat(row.path("reference").asText()).isEqualTo("RMA 7");
    assertThat(row.path("displayStatus").asText()).isEqualTo("OPEN");
    assertThat(row.path("total").decimalValue()).isEqualByComparingTo("100.00");
    assertThat(row.path("remainingCredit").decimalValue()).isEqualByComparingTo("70.00");
    assertThat(row.path("allocations")).singleElement();
    assertThat(row.path("allocations").path(0).path("amount").decimalValue())
        .isEqualByComparingTo("30.00");
    assertThat(numbers)
        .containsValue(row.path("allocations").path(0).path("invoiceNumber").asText());
  }

  @Test
  void theTotalsTellTheBalanceStoryInExactDecimals() {
    JsonNode t = totals();
    // 3 × 200.00 less 30.00 and 12.34 allocated.
    assertThat(t.path("unpaid").path("amount").decimalValue()).isEqualByComparingTo("557.66");
    assertThat(t.path("creditNotes").path("available").path("count").asInt()).isEqualTo(1);
    assertThat(t.path("creditNotes").path("available").path("amount").decimalValue())
        .isEqualByComparingTo("70.00");
    assertThat(t.path("creditNotes").path("used").path("amount").decimalValue())
        .isEqualByComparingTo("12.34");
    assertThat(t.path("outstanding").toString()).isEqualTo("487.66");
    String link = t.path("creditNotes").path("available").path("invoices").asText();
    assertThat(link).contains("creditNotes=only").contains("view=unpaid");
  }

  @Test
  void aRecordListsItsContactsCreditNotesAndBadValuesAreA400() throws Exception {
    String record = "/records/deal/credit-deal";
    HttpResponse<String> linked =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(stack.apiUrl() + "/tenants/" + org.tenantId() + record + "/links"))
                .header("x-api-key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"contactId\":\"" + contact + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(linked.statusCode()).as(linked.body()).isIn(200, 201);
    assertThat(rows(record + "/invoices", Map.of("view", "unpaid", "creditNotes", "include")))
        .hasSize(4);
    assertThat(
            get(record + "/totals", Map.of())
                .json()
                .path("totals")
                .path(0)
                .path("outstanding")
                .decimalValue())
        .isEqualByComparingTo("487.66");

    for (Map<String, String> bad :
        List.of(
            Map.of("creditNotes", "yes"),
            Map.of("view", "pinned", "creditNotes", "include"),
            Map.of("creditNote", "include"))) {
      QueryApi.Response r = get(record + "/invoices", bad);
      assertThat(r.status()).as(bad + " " + r.body()).isEqualTo(400);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(
            get(record + "/invoices", Map.of("creditNotes", "yes")).json().path("detail").asText())
        .contains("exclude, include, only");
  }
}
