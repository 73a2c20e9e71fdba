package dev.xerosync.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.InvoiceView;
import dev.xerosync.store.ViewQuery;
import dev.xerosync.testsupport.RequestCounter;
import dev.xerosync.xero.XeroInvoice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paging through every view and filter, for one contact and for a record that merges three
 * contacts, returns exactly the invoices the view's definition selects ({@link ViewQuery#matches}),
 * each once, in the documented order, on random data with every status, both types, two currencies,
 * missing dates.
 */
class QueryPagingIntegrationTest {
  static final Instant NOW = Instant.parse("2026-06-15T03:00:00Z");
  static final LocalDate TODAY = LocalDate.parse("2026-06-15"); // Pacific/Auckland at 03:00 UTC
  static final String T = "dddddddd-0000-4000-8000-000000000001";
  static final List<String> CONTACTS =
      List.of(
          "e0000000-0000-4000-8000-000000000001",
          "e0000000-0000-4000-8000-000000000002",
          "e0000000-0000-4000-8000-000000000003");

  static QueryTable table;
  static QueryApi api;
  static String key;
  static final List<XeroInvoice> ALL = new ArrayList<>();

  @BeforeAll
  static void seed() {
    table = QueryTable.create();
    api = new QueryApi(table, NOW);
    QuerySeed seed = new QuerySeed(table);
    seed.organisation(T, "!pg", "Pacific/Auckland");
    Random random = new Random(20261121);
    int[] sizes = {160, 40, 25};
    String[] statuses = {
      "DRAFT",
      "SUBMITTED",
      "AUTHORISED",
      "AUTHORISED",
      "AUTHORISED",
      "PAID",
      "PAID",
      "VOIDED",
      "DELETED"
    };
    int n = 0;
    for (int c = 0; c < CONTACTS.size(); c++) {
      seed.contact(T, CONTACTS.get(c), "Contact " + c, true);
      for (int i = 0; i < sizes[c]; i++) {
        n++;
        String id = String.format("f%07d-0000-4000-8000-%012d", n, random.nextInt(1_000_000));
        String status = statuses[random.nextInt(statuses.length)];
        LocalDate date = random.nextInt(30) == 0 ? null : TODAY.minusDays(random.nextInt(500));
        LocalDate due =
            random.nextInt(20) == 0
                ? null
                : (date == null ? TODAY : date).plusDays(random.nextInt(60));
        String total = (10 + random.nextInt(990)) + ".00";
        String paid =
            "AUTHORISED".equals(status) && random.nextBoolean()
                ? "5.00"
                : "PAID".equals(status) ? total : "0";
        // Some AUTHORISED invoices have nothing due (credited in full): they are in no bucket view
        // but in ALL.
        String credited = "AUTHORISED".equals(status) && random.nextInt(10) == 0 ? total : "0";
        if (!"0".equals(credited)) {
          paid = "0";
        }
        String number =
            random.nextInt(25) == 0
                ? null
                : (random.nextBoolean() ? "INV-" : "inv-")
                    + String.format("%04d", random.nextInt(400));
        XeroInvoice inv =
            QuerySeed.invoice(
                id,
                number == null ? "X" : number,
                random.nextInt(7) == 0 ? "ACCPAY" : "ACCREC",
                status,
                CONTACTS.get(c),
                date,
                due,
                random.nextInt(4) == 0 ? "AUD" : "NZD",
                total,
                paid,
                credited);
        if (number == null) {
          inv =
              new XeroInvoice(
                  inv.invoiceId(),
                  null,
                  inv.reference(),
                  inv.type(),
                  inv.status(),
                  inv.contactId(),
                  inv.contactName(),
                  inv.date(),
                  inv.dueDate(),
                  inv.currencyCode(),
                  inv.subTotal(),
                  inv.totalTax(),
                  inv.total(),
                  inv.amountDue(),
                  inv.amountPaid(),
                  inv.amountCredited(),
                  inv.fullyPaidOnDate(),
                  inv.updatedDateUtc(),
                  inv.payments(),
                  inv.allocations());
        }
        ALL.add(seed.upsert(T, inv));
      }
    }
    key = api.newKey(T);
    for (String c : CONTACTS) {
      var r =
          api.call(
              "POST",
              key,
              "/tenants/" + T + "/records/account/acme-42/links",
              "{\"contactId\":\"" + c + "\"}",
              java.util.Map.of());
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    table.close();
  }

  /**
   * The documented order of a listing: its index's sort key, most recent first (numbers ascending).
   */
  static List<String> expected(ViewQuery q, List<String> contacts) {
    Comparator<XeroInvoice> order =
        switch (q.index()) {
          case BY_VIEW ->
              Comparator.comparing(
                      (XeroInvoice i) ->
                          Objects.toString(i.dueDate(), "9999-12-31") + "#" + i.invoiceId())
                  .reversed();
          case BY_DATE ->
              Comparator.comparing(
                      (XeroInvoice i) ->
                          Objects.toString(i.date(), "0000-00-00") + "#" + i.invoiceId())
                  .reversed();
          case BY_NUMBER ->
              Comparator.comparing(
                  (XeroInvoice i) ->
                      i.invoiceNumber().toUpperCase(Locale.ROOT) + "#" + i.invoiceId());
        };
    return ALL.stream()
        .filter(i -> contacts.contains(i.contactId()))
        .filter(q::matches)
        .sorted(order)
        .map(XeroInvoice::invoiceId)
        .toList();
  }

  static List<String> pageThrough(String path, int limit, List<String> params) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 500; page++) {
      List<String> p = new ArrayList<>(params);
      p.addAll(List.of("limit", Integer.toString(limit)));
      if (cursor != null) {
        p.addAll(List.of("cursor", cursor));
      }
      var r = api.get(key, path, p.toArray(String[]::new));
      assertThat(r.status()).as(path + " " + p + ": " + r.body()).isEqualTo(200);
      var body = r.json();
      assertThat(body.path("invoices").size()).isLessThanOrEqualTo(limit);
      body.path("invoices").forEach(i -> ids.add(i.path("invoiceId").asText()));
      if (body.path("nextCursor").isNull()) {
        return ids;
      }
      cursor = body.path("nextCursor").asText();
    }
    throw new AssertionError("paging did not end");
  }

  static List<List<String>> parameterSets() {
    List<List<String>> sets = new ArrayList<>();
    for (String view : List.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all")) {
      sets.add(List.of("view", view));
      sets.add(List.of("view", view, "type", "ANY", "currency", "AUD"));
      sets.add(
          List.of(
              "view",
              view,
              "from",
              TODAY.minusDays(200).toString(),
              "to",
              TODAY.minusDays(20).toString()));
    }
    sets.add(List.of("status", "DRAFT,DELETED"));
    sets.add(List.of("view", "all", "status", "PAID,AUTHORISED", "type", "ACCPAY"));
    sets.add(List.of("view", "unpaid", "from", TODAY.minusDays(90).toString()));
    sets.add(List.of("view", "paid", "to", TODAY.minusDays(300).toString()));
    sets.add(List.of("number", "inv-01"));
    sets.add(List.of("number", "INV-0", "view", "unpaid", "type", "ANY"));
    sets.add(List.of("number", "inv-0", "from", TODAY.minusDays(100).toString()));
    return sets;
  }

  static ViewQuery reference(List<String> params, boolean record) throws Exception {
    String[] kv = params.toArray(String[]::new);
    var event =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent()
            .withQueryStringParameters(QuerySeed.map(kv));
    return new ApiRequest(event)
        .viewQuery(
            TODAY,
            record
                ? Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all", "pinned")
                : Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all"));
  }

  @Test
  void aContactsPagesHoldExactlyTheViewInOrder() throws Exception {
    String contact = CONTACTS.get(0);
    for (List<String> params : parameterSets()) {
      List<String> want = expected(reference(params, false), List.of(contact));
      List<String> got =
          pageThrough("/tenants/" + T + "/contacts/" + contact + "/invoices", 13, params);
      assertThat(got).as("contact " + params).containsExactlyElementsOf(want);
    }
    // Sanity of the data: every view has something in it.
    for (InvoiceView v :
        List.of(
            InvoiceView.OPEN,
            InvoiceView.OVERDUE,
            InvoiceView.PAID,
            InvoiceView.DRAFT,
            InvoiceView.VOIDED)) {
      assertThat(
              expected(
                  reference(List.of("view", v.name().toLowerCase(Locale.ROOT)), false),
                  List.of(contact)))
          .isNotEmpty();
    }
  }

  @Test
  void aRecordsPagesMergeItsContactsInExactOrder() throws Exception {
    for (List<String> params : parameterSets()) {
      List<String> want = expected(reference(params, true), CONTACTS);
      List<String> got =
          pageThrough("/tenants/" + T + "/records/account/acme-42/invoices", 9, params);
      assertThat(got).as("record " + params).containsExactlyElementsOf(want);
    }
  }

  @Test
  void aPageCostsOneGetItemAndAtMostTwoQueries() {
    var counter = new RequestCounter();
    var counted =
        new QueryHandler(QueryWiring.of(counter.client(table.aws), table.name, api.clock));
    String contact = CONTACTS.get(0);
    java.util.function.Function<
            java.util.Map<String, String>,
            com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent>
        call =
            query ->
                counted.handleRequest(
                    new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent()
                        .withHttpMethod("GET")
                        .withResource("/tenants/{tenantId}/contacts/{contactId}/invoices")
                        .withPath("/tenants/" + T + "/contacts/" + contact + "/invoices")
                        .withPathParameters(QuerySeed.map("tenantId", T, "contactId", contact))
                        .withQueryStringParameters(query)
                        .withHeaders(QuerySeed.map("x-api-key", key))
                        // What the TenantKey authorizer hands on for T's key.
                        .withRequestContext(
                            dev.xerosync.auth.TenantCredential.apiKey(T, null).requestContext()),
                    null);
    call.apply(QuerySeed.map("view", "paid")); // warms the key and organisation caches
    // A bucket view without filters: the contact (is it a customer?) and one Query for a full page.
    counter.reset();
    var paid = call.apply(QuerySeed.map("view", "paid", "type", "ANY", "limit", "20"));
    assertThat(paid.getStatusCode()).isEqualTo(200);
    assertThat(counter.operations()).containsExactly("GetItem", "Query");
    // ALL filters out drafts and voided invoices, which may take a second Query to fill the page.
    counter.reset();
    var all = call.apply(QuerySeed.map("view", "all", "limit", "50"));
    assertThat(all.getStatusCode()).isEqualTo(200);
    assertThat(counter.operations()).first().isEqualTo("GetItem");
    assertThat(counter.operations())
        .hasSizeBetween(2, 3)
        .allMatch(op -> op.equals("GetItem") || op.equals("Query"));
    assertThat(counter.rcu()).isPositive();
  }
}
