package dev.xerosync.query;

import static dev.xerosync.query.QuerySeed.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each view's definition at its boundaries, through the handler and the DynamoDB stand-in: due
 * today, due yesterday, a partial payment, a credit note that pays an invoice off, a reversed
 * payment that reopens one, and the same data in an organisation on the other side of the date
 * line.
 */
class QueryViewsIntegrationTest {
  // 11:00 UTC on 20 Nov: already 21 Nov in Auckland, still 20 Nov in Honolulu.
  static final Instant NOW = Instant.parse("2026-11-20T11:00:00Z");
  static final LocalDate AKL_TODAY = LocalDate.parse("2026-11-21");
  static final String NZ = "aaaaaaaa-0000-4000-8000-000000000001";
  static final String HI = "bbbbbbbb-0000-4000-8000-000000000002";
  static final String CUSTOMER = "c0000000-0000-4000-8000-000000000001";
  static final String SUPPLIER = "c0000000-0000-4000-8000-000000000002";

  static final String DUE_TODAY = "10000000-0000-4000-8000-000000000001";
  static final String DUE_YESTERDAY = "10000000-0000-4000-8000-000000000002";
  static final String PARTIAL = "10000000-0000-4000-8000-000000000003";
  static final String CREDITED = "10000000-0000-4000-8000-000000000004";
  static final String REVERSED = "10000000-0000-4000-8000-000000000005";
  static final String DRAFT = "10000000-0000-4000-8000-000000000006";
  static final String VOIDED = "10000000-0000-4000-8000-000000000007";
  static final String PAID_LONG_AGO = "10000000-0000-4000-8000-000000000008";
  static final String BILL = "10000000-0000-4000-8000-000000000009";

  static QueryTable table;
  static QueryApi api;
  static String nzKey;
  static String hiKey;

  @BeforeAll
  static void seed() {
    table = QueryTable.create();
    api = new QueryApi(table, NOW);
    QuerySeed seed = new QuerySeed(table);
    seed.organisation(NZ, "!nzShort", "Pacific/Auckland");
    seed.organisation(HI, "!hiShort", "Pacific/Honolulu");
    for (String tenant : List.of(NZ, HI)) {
      seed.contact(tenant, CUSTOMER, "Acme Customer", true);
      seed.contact(tenant, SUPPLIER, "Bolt Supplier", false);
      LocalDate d = LocalDate.parse("2026-10-01");
      seed.upsert(
          tenant,
          invoice(
              DUE_TODAY,
              "INV-001",
              "ACCREC",
              "AUTHORISED",
              CUSTOMER,
              d,
              AKL_TODAY,
              "NZD",
              "100.00",
              "0",
              "0"));
      // Due 20 Nov: overdue in Auckland (today 21 Nov), due today in Honolulu (today 20 Nov).
      seed.upsert(
          tenant,
          invoice(
              DUE_YESTERDAY,
              "INV-002",
              "ACCREC",
              "AUTHORISED",
              CUSTOMER,
              d.plusDays(1),
              AKL_TODAY.minusDays(1),
              "NZD",
              "200.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              PARTIAL,
              "INV-003",
              "ACCREC",
              "AUTHORISED",
              CUSTOMER,
              d.plusDays(2),
              AKL_TODAY.plusDays(10),
              "NZD",
              "300.00",
              "120.00",
              "0"));
      // Open first; then a credit note for the whole amount pays it off.
      seed.upsert(
          tenant,
          invoice(
              CREDITED,
              "INV-004",
              "ACCREC",
              "AUTHORISED",
              CUSTOMER,
              d.plusDays(3),
              AKL_TODAY.minusDays(40),
              "NZD",
              "400.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              CREDITED,
              "INV-004",
              "ACCREC",
              "PAID",
              CUSTOMER,
              d.plusDays(3),
              AKL_TODAY.minusDays(40),
              "NZD",
              "400.00",
              "0",
              "400.00"));
      // Paid; then the payment is reversed, which reopens it (and it is 45 days overdue).
      seed.upsert(
          tenant,
          invoice(
              REVERSED,
              "INV-005",
              "ACCREC",
              "PAID",
              CUSTOMER,
              d.plusDays(4),
              AKL_TODAY.minusDays(45),
              "NZD",
              "500.00",
              "500.00",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              REVERSED,
              "INV-005",
              "ACCREC",
              "AUTHORISED",
              CUSTOMER,
              d.plusDays(4),
              AKL_TODAY.minusDays(45),
              "NZD",
              "500.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              DRAFT,
              "INV-006",
              "ACCREC",
              "DRAFT",
              CUSTOMER,
              d.plusDays(5),
              AKL_TODAY.minusDays(3),
              "NZD",
              "600.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              VOIDED,
              "INV-007",
              "ACCREC",
              "VOIDED",
              CUSTOMER,
              d.plusDays(6),
              AKL_TODAY.minusDays(3),
              "NZD",
              "700.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              PAID_LONG_AGO,
              "INV-008",
              "ACCREC",
              "PAID",
              CUSTOMER,
              LocalDate.parse("2025-01-10"),
              LocalDate.parse("2025-02-10"),
              "NZD",
              "800.00",
              "800.00",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              BILL,
              "BILL-9",
              "ACCPAY",
              "AUTHORISED",
              CUSTOMER,
              d,
              AKL_TODAY.plusDays(3),
              "NZD",
              "900.00",
              "0",
              "0"));
      seed.upsert(
          tenant,
          invoice(
              "10000000-0000-4000-8000-00000000000a",
              "SUP-1",
              "ACCREC",
              "AUTHORISED",
              SUPPLIER,
              d,
              AKL_TODAY,
              "NZD",
              "5.00",
              "0",
              "0"));
    }
    nzKey = api.newKey(NZ);
    hiKey = api.newKey(HI);
  }

  @AfterAll
  static void stop() {
    table.close();
  }

  static List<String> ids(QueryApi.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().path("invoices").forEach(i -> ids.add(i.path("invoiceId").asText()));
    return ids;
  }

  static String contact(String tenant) {
    return "/tenants/" + tenant + "/contacts/" + CUSTOMER + "/invoices";
  }

  @Test
  void openIsDueTodayOrLaterAndIsTheDefault() {
    assertThat(ids(api.get(nzKey, contact(NZ)))).containsExactly(PARTIAL, DUE_TODAY);
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "open")))
        .containsExactly(PARTIAL, DUE_TODAY);
  }

  @Test
  void overdueIsDueBeforeTodayIncludingAReopenedInvoice() {
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "overdue")))
        .containsExactly(DUE_YESTERDAY, REVERSED);
    JsonNode reopened =
        api.get(nzKey, contact(NZ), "view", "overdue").json().path("invoices").get(1);
    assertThat(reopened.path("displayStatus").asText()).isEqualTo("OVERDUE");
    assertThat(reopened.path("daysOverdue").asInt()).isEqualTo(45);
    assertThat(reopened.path("amountDue").decimalValue()).isEqualByComparingTo("500.00");
    assertThat(reopened.path("instalmentCount").asInt()).isZero();
  }

  @Test
  void unpaidIsOpenAndOverdueAndPaidIncludesTheCreditedInvoice() {
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "unpaid")))
        .containsExactly(PARTIAL, DUE_TODAY, DUE_YESTERDAY, REVERSED);
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "paid")))
        .containsExactly(CREDITED, PAID_LONG_AGO);
    JsonNode partial = api.get(nzKey, contact(NZ), "view", "unpaid").json().path("invoices").get(0);
    assertThat(partial.path("partiallyPaid").asBoolean()).isTrue();
    assertThat(partial.path("amountDue").decimalValue()).isEqualByComparingTo("180.00");
    assertThat(partial.path("amountPaid").decimalValue()).isEqualByComparingTo("120.00");
    assertThat(partial.path("instalmentCount").asInt()).isEqualTo(2);
    assertThat(partial.path("xeroUrl").asText())
        .isEqualTo(
            "https://go.xero.com/organisationlogin/default.aspx?shortcode=!nzShort"
                + "&redirecturl=/AccountsReceivable/View.aspx?InvoiceID="
                + PARTIAL);
  }

  @Test
  void draftsAndVoidedShowOnlyWhenAskedFor() {
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "all")))
        .containsExactly(REVERSED, CREDITED, PARTIAL, DUE_YESTERDAY, DUE_TODAY, PAID_LONG_AGO);
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "draft"))).containsExactly(DRAFT);
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "voided"))).containsExactly(VOIDED);
    assertThat(ids(api.get(nzKey, contact(NZ), "status", "DRAFT,VOIDED")))
        .containsExactly(VOIDED, DRAFT);
  }

  @Test
  void billsOnlyWhenAskedForAndSuppliersOnlyWhenAskedFor() {
    assertThat(ids(api.get(nzKey, contact(NZ), "type", "ACCPAY"))).containsExactly(BILL);
    assertThat(ids(api.get(nzKey, contact(NZ), "type", "ANY")))
        .containsExactly(PARTIAL, BILL, DUE_TODAY);
    String supplier = "/tenants/" + NZ + "/contacts/" + SUPPLIER + "/invoices";
    assertThat(api.get(nzKey, supplier).status()).isEqualTo(404);
    assertThat(ids(api.get(nzKey, supplier, "customersOnly", "false"))).hasSize(1);
  }

  @Test
  void theOrganisationsTimezoneDecidesWhatIsDueToday() {
    var hi = api.get(hiKey, contact(HI), "view", "open");
    assertThat(hi.json().path("asOf").asText()).isEqualTo("2026-11-20");
    assertThat(hi.json().path("timezone").asText()).isEqualTo("Pacific/Honolulu");
    assertThat(ids(hi)).containsExactly(PARTIAL, DUE_TODAY, DUE_YESTERDAY);
    assertThat(ids(api.get(hiKey, contact(HI), "view", "overdue"))).containsExactly(REVERSED);
    assertThat(api.get(nzKey, contact(NZ)).json().path("asOf").asText()).isEqualTo("2026-11-21");
  }

  @Test
  void searchByNumberExactAndPrefixAndByInvoiceDate() {
    assertThat(ids(api.get(nzKey, contact(NZ), "number", "inv-00")))
        .containsExactly(DUE_TODAY, DUE_YESTERDAY, PARTIAL, CREDITED, REVERSED, PAID_LONG_AGO);
    assertThat(ids(api.get(nzKey, contact(NZ), "number", "INV-003", "match", "exact")))
        .containsExactly(PARTIAL);
    assertThat(ids(api.get(nzKey, contact(NZ), "number", "INV-00", "match", "exact"))).isEmpty();
    assertThat(
            ids(
                api.get(
                    nzKey, contact(NZ), "view", "all", "from", "2026-10-02", "to", "2026-10-04")))
        .containsExactly(CREDITED, PARTIAL, DUE_YESTERDAY);
    assertThat(ids(api.get(nzKey, contact(NZ), "view", "paid", "to", "2025-12-31")))
        .containsExactly(PAID_LONG_AGO);
  }

  @Test
  void detailListsInstalmentsInOrderAndAllocatedCredits() {
    JsonNode partial = api.get(nzKey, "/tenants/" + NZ + "/invoices/" + PARTIAL).json();
    assertThat(partial.path("instalments")).hasSize(2);
    assertThat(partial.path("instalments").get(0).path("number").asInt()).isEqualTo(1);
    assertThat(partial.path("instalments").get(0).path("reference").asText()).isEqualTo("first");
    assertThat(partial.path("instalments").get(1).path("date").asText()).isEqualTo("2026-10-06");
    JsonNode credited = api.get(nzKey, "/tenants/" + NZ + "/invoices/" + CREDITED).json();
    assertThat(credited.path("status").asText()).isEqualTo("PAID");
    assertThat(credited.path("credits").get(0).path("kind").asText()).isEqualTo("CREDIT_NOTE");
    assertThat(credited.path("credits").get(0).path("amount").decimalValue())
        .isEqualByComparingTo("400.00");
    assertThat(credited.path("amountCredited").decimalValue()).isEqualByComparingTo("400.00");
  }

  /**
   * DynamoDB keeps 400.00 as 400 and 60.0 as 60: every amount in every read body still has its
   * currency's two places, as text on the wire, whatever a parser would make of it.
   */
  @Test
  void everyAmountHasItsCurrencysScale() {
    List<String> bodies =
        List.of(
            api.get(nzKey, "/tenants/" + NZ + "/invoices/" + PARTIAL).body(),
            api.get(nzKey, "/tenants/" + NZ + "/invoices/" + CREDITED).body(),
            api.get(nzKey, "/tenants/" + NZ + "/contacts/" + CUSTOMER + "/invoices", "view", "all")
                .body(),
            api.get(nzKey, "/tenants/" + NZ + "/contacts/" + CUSTOMER + "/totals").body(),
            api.get(nzKey, "/tenants/" + NZ + "/contacts/" + CUSTOMER + "/aging").body(),
            api.get(nzKey, "/tenants/" + NZ + "/aging").body());
    var amount =
        java.util.regex.Pattern.compile(
            "\"(total|amountDue|amountPaid|amountCredited|amount)\":(-?[0-9.eE+]+)");
    int seen = 0;
    for (String body : bodies) {
      var m = amount.matcher(body);
      while (m.find()) {
        seen++;
        assertThat(m.group(2)).as(m.group()).matches("-?[0-9]+\\.[0-9]{2}");
      }
    }
    assertThat(seen).isGreaterThan(40);
    assertThat(bodies.get(0)).contains("\"amountPaid\":120.00", "\"amount\":60.00");
  }

  @Test
  void totalsCountWhatTheViewsBehindThemList() {
    JsonNode totals =
        api.get(nzKey, "/tenants/" + NZ + "/contacts/" + CUSTOMER + "/totals")
            .json()
            .path("totals");
    assertThat(totals).hasSize(1);
    JsonNode nzd = totals.get(0);
    assertThat(nzd.path("paid").path("count").asLong()).isEqualTo(2);
    assertThat(nzd.path("paid").path("amount").decimalValue()).isEqualByComparingTo("1200.00");
    assertThat(nzd.path("unpaid").path("count").asLong()).isEqualTo(4);
    assertThat(nzd.path("unpaid").path("amount").decimalValue()).isEqualByComparingTo("980.00");
    // "Clickable": each total's link lists exactly the invoices it counts.
    for (String which : List.of("paid", "unpaid")) {
      String href = nzd.path(which).path("invoices").asText();
      String[] pathAndQuery = href.split("\\?");
      List<String> params = new ArrayList<>();
      for (String kv : pathAndQuery[1].split("&")) {
        params.addAll(List.of(kv.split("=")));
      }
      var listed = api.get(nzKey, pathAndQuery[0], params.toArray(String[]::new));
      assertThat(ids(listed)).hasSize(nzd.path(which).path("count").asInt());
      var sum = new java.math.BigDecimal(0);
      for (JsonNode i : listed.json().path("invoices")) {
        sum =
            sum.add(
                which.equals("paid")
                    ? i.path("total").decimalValue()
                    : i.path("amountDue").decimalValue());
      }
      assertThat(sum).isEqualByComparingTo(nzd.path(which).path("amount").decimalValue());
    }
  }

  @Test
  void agingPerContactAndPerTenant() {
    JsonNode contactAging =
        api.get(nzKey, "/tenants/" + NZ + "/contacts/" + CUSTOMER + "/aging").json();
    JsonNode nzd = contactAging.path("currencies").get(0);
    assertThat(nzd.path("current").path("amount").decimalValue())
        .isEqualByComparingTo("280.00"); // due today + partial balance
    assertThat(nzd.path("days1To30").path("amount").decimalValue())
        .isEqualByComparingTo("200.00"); // due yesterday
    assertThat(nzd.path("days31To60").path("amount").decimalValue())
        .isEqualByComparingTo("500.00"); // reopened, 45 days
    assertThat(nzd.path("over90").path("count").asLong()).isZero();
    assertThat(nzd.path("overdue").path("amount").decimalValue()).isEqualByComparingTo("700.00");
    assertThat(nzd.path("total").path("count").asLong()).isEqualTo(4);
    JsonNode tenantAging =
        api.get(nzKey, "/tenants/" + NZ + "/aging").json().path("currencies").get(0);
    // The supplier's sales invoice (due today) counts towards the tenant's receivables too.
    assertThat(tenantAging.path("current").path("amount").decimalValue())
        .isEqualByComparingTo("285.00");
    assertThat(tenantAging.path("days1To30").path("amount").decimalValue())
        .isEqualByComparingTo("200.00");
    assertThat(tenantAging.path("days31To60").path("amount").decimalValue())
        .isEqualByComparingTo("500.00");
    assertThat(tenantAging.path("total").path("count").asLong()).isEqualTo(5);
    JsonNode bills =
        api.get(nzKey, "/tenants/" + NZ + "/aging", "type", "ACCPAY")
            .json()
            .path("currencies")
            .get(0);
    assertThat(bills.path("current").path("amount").decimalValue()).isEqualByComparingTo("900.00");
  }

  @Test
  void aCursorStaysValidWhenMidnightMovesTodayPastIt() {
    var first = api.get(nzKey, contact(NZ), "view", "open", "limit", "1");
    assertThat(ids(first)).containsExactly(PARTIAL);
    String cursor = first.json().path("nextCursor").asText();
    Instant before = api.clock.instant();
    try {
      // Two days on, the cursor's position (due in 10 days) is still open, but DUE_TODAY no longer
      // is.
      api.clock.set(before.plus(java.time.Duration.ofDays(2)));
      assertThat(ids(api.get(nzKey, contact(NZ), "view", "open", "limit", "1", "cursor", cursor)))
          .isEmpty();
      // Eleven days on, the position itself is before today: the listing simply ends.
      api.clock.set(before.plus(java.time.Duration.ofDays(11)));
      var late = api.get(nzKey, contact(NZ), "view", "open", "limit", "1", "cursor", cursor);
      assertThat(ids(late)).isEmpty();
      assertThat(late.json().path("nextCursor").isNull()).isTrue();
    } finally {
      api.clock.set(before);
    }
  }

  @Test
  void aCursorOnlyContinuesTheListingThatMadeIt() {
    String cursor =
        api.get(nzKey, contact(NZ), "view", "open", "limit", "1")
            .json()
            .path("nextCursor")
            .asText();
    // Same index and partition, other view: refused rather than read out of range.
    var r = api.get(nzKey, contact(NZ), "view", "overdue", "limit", "1", "cursor", cursor);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("detail").asText()).contains("same parameters");
    assertThat(api.get(nzKey, contact(NZ), "view", "open", "limit", "5", "cursor", cursor).status())
        .isEqualTo(200);
  }
}
