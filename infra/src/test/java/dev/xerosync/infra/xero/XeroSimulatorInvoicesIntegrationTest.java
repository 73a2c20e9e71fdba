package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET Invoices as Xero serves it: envelope, /Date() dates, derived amounts, filters, paging and URL
 * limits.
 */
class XeroSimulatorInvoicesIntegrationTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;
  String acme;

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app("app", "secret", "xero-sync").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org One");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme Ltd");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  JsonNode get(String path) {
    SimHttp.Resp r = http.get(path, token, org.tenantId());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void invoiceByIdInXeroEnvelopeWithLineItemsAndPaymentState() {
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2018, 10, 20), LocalDate.of(2018, 12, 30), new BigDecimal("46.00"));
    clock.advance(Duration.ofMinutes(5));
    String paymentId = org.pay(id, new BigDecimal("46.00"), LocalDate.of(2018, 11, 29), "Ref 1");

    JsonNode env = get("/api.xro/2.0/Invoices/" + id);
    assertThat(env.get("Status").asText()).isEqualTo("OK");
    assertThat(env.get("ProviderName").asText()).isEqualTo("xero-sync");
    assertThat(env.get("DateTimeUTC").asText()).isEqualTo("/Date(" + clock.millis() + ")/");
    assertThat(env.get("Id").asText()).hasSize(36);
    JsonNode inv = env.get("Invoices").get(0);
    assertThat(inv.get("InvoiceID").asText()).isEqualTo(id);
    assertThat(inv.get("InvoiceNumber").asText()).isEqualTo("INV-0001");
    assertThat(inv.get("Type").asText()).isEqualTo("ACCREC");
    assertThat(inv.get("Date").asText()).isEqualTo("/Date(1539993600000+0000)/");
    assertThat(inv.get("DateString").asText()).isEqualTo("2018-10-20T00:00:00");
    assertThat(inv.get("DueDate").asText()).isEqualTo("/Date(1546128000000+0000)/");
    assertThat(inv.get("Status").asText()).isEqualTo("PAID");
    assertThat(inv.get("AmountDue").decimalValue()).isEqualByComparingTo("0");
    assertThat(inv.get("AmountPaid").decimalValue()).isEqualByComparingTo("46.00");
    assertThat(inv.get("AmountCredited").decimalValue()).isEqualByComparingTo("0");
    assertThat(inv.get("Total").toString()).isEqualTo("46.00");
    assertThat(inv.get("FullyPaidOnDate").asText()).isEqualTo("/Date(1543449600000+0000)/");
    assertThat(inv.get("UpdatedDateUTC").asText()).isEqualTo("/Date(" + clock.millis() + "+0000)/");
    assertThat(inv.get("Contact").get("ContactID").asText()).isEqualTo(acme);
    assertThat(inv.get("Contact").get("Name").asText()).isEqualTo("Acme Ltd");
    assertThat(inv.get("LineItems")).hasSize(1);
    assertThat(inv.get("LineAmountTypes").asText()).isEqualTo("Exclusive");
    JsonNode pay = inv.get("Payments").get(0);
    assertThat(pay.get("PaymentID").asText()).isEqualTo(paymentId);
    assertThat(pay.get("Amount").toString()).isEqualTo("46.00");
    assertThat(pay.get("Reference").asText()).isEqualTo("Ref 1");
    assertThat(pay.get("CurrencyRate").toString()).isEqualTo("1.000000");
    assertThat(pay.get("HasAccount").asBoolean()).isFalse();
    assertThat(inv.get("CreditNotes").isArray()).isTrue();
    assertThat(inv.get("Prepayments").isArray()).isTrue();
    assertThat(inv.get("Overpayments").isArray()).isTrue();
    assertThat(inv.get("HasAttachments").asBoolean()).isFalse();
    assertThat(inv.get("IsDiscounted").asBoolean()).isFalse();
    assertThat(inv.get("CurrencyCode").asText()).isEqualTo("NZD");
  }

  @Test
  void datesBefore1970AreNegativeMillis() {
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(1969, 12, 31), LocalDate.of(1965, 1, 1), BigDecimal.TEN);
    JsonNode inv = get("/api.xro/2.0/Invoices/" + id).get("Invoices").get(0);
    assertThat(inv.get("Date").asText()).isEqualTo("/Date(-86400000+0000)/");
    assertThat(inv.get("DueDate").asText()).isEqualTo("/Date(-157766400000+0000)/");
    assertThat(XeroJson.parseMsDate(inv.get("DueDate").asText()))
        .isEqualTo(Instant.parse("1965-01-01T00:00:00Z"));
  }

  @Test
  void unknownInvoiceIs404WithXeroSentence() {
    SimHttp.Resp r =
        http.get(
            "/api.xro/2.0/Invoices/6a3d8b6e-0000-4000-8000-000000000000", token, org.tenantId());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("The resource you're looking for cannot be found");
  }

  @Test
  void invoiceByNumberAlsoResolves() {
    String id =
        org.createDraftInvoice(
            acme, "X-7", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), BigDecimal.ONE, "NZD");
    assertThat(get("/api.xro/2.0/Invoices/X-7").get("Invoices").get(0).get("InvoiceID").asText())
        .isEqualTo(id);
  }

  @Test
  void idsFilterReturnsThoseInvoicesWithoutLineItemsUnlessPaged() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          org.createAuthorisedInvoice(
              acme,
              LocalDate.of(2026, 1, 1),
              LocalDate.of(2026, 2, 1),
              BigDecimal.valueOf(10 + i)));
    }
    JsonNode list =
        get("/api.xro/2.0/Invoices?IDs=" + ids.get(1) + "," + ids.get(3)).get("Invoices");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("LineItems")).isEmpty();
    assertThat(get("/api.xro/2.0/Invoices?IDs=" + ids.get(1)).has("pagination")).isFalse();

    JsonNode paged = get("/api.xro/2.0/Invoices?page=1&IDs=" + ids.get(1) + "," + ids.get(3));
    assertThat(paged.get("Invoices").get(0).get("LineItems")).hasSize(1);
    assertThat(paged.get("pagination").get("itemCount").asInt()).isEqualTo(2);

    JsonNode summary =
        get("/api.xro/2.0/Invoices?page=1&summaryOnly=true&IDs=" + ids.get(1))
            .get("Invoices")
            .get(0);
    assertThat(summary.has("LineItems")).isFalse();
    assertThat(summary.has("Payments")).isFalse();
    assertThat(summary.get("Total").toString()).isEqualTo("11.00");
  }

  @Test
  void pagingHonoursPageSizeUpTo1000() {
    for (int i = 0; i < 7; i++) {
      org.createAuthorisedInvoice(
          acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), BigDecimal.ONE);
      clock.advance(Duration.ofSeconds(1));
    }
    JsonNode p3 = get("/api.xro/2.0/Invoices?page=3&pageSize=3");
    assertThat(p3.get("Invoices")).hasSize(1);
    assertThat(p3.get("pagination").toString())
        .isEqualTo("{\"page\":3,\"pageSize\":3,\"pageCount\":3,\"itemCount\":7}");
    assertThat(
            get("/api.xro/2.0/Invoices?page=1&pageSize=5000")
                .get("pagination")
                .get("pageSize")
                .asInt())
        .isEqualTo(1000);
    assertThat(get("/api.xro/2.0/Invoices?page=9").get("Invoices")).isEmpty();
  }

  @Test
  void ifModifiedSinceStatusesContactsNumbersAndOrder() {
    String bolt = org.createContact("Bolt");
    String a =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), BigDecimal.ONE);
    clock.advance(Duration.ofHours(1));
    Instant mark = clock.instant();
    String b =
        org.createDraftInvoice(
            bolt, "B-1", LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 1), BigDecimal.TEN, null);
    clock.advance(Duration.ofHours(1));
    org.pay(a, BigDecimal.ONE, LocalDate.of(2026, 1, 3), "p");
    token = sim.grant("app", org.tenantId()).accessToken();

    JsonNode since =
        get2("/api.xro/2.0/Invoices", "If-Modified-Since", "Sun, 01 Mar 2026 11:00:00 GMT");
    assertThat(since.get("Invoices"))
        .extracting(n -> n.get("InvoiceID").asText())
        .containsExactly(b, a);
    JsonNode isoSince =
        get2("/api.xro/2.0/Invoices", "If-Modified-Since", mark.plusSeconds(1).toString());
    assertThat(isoSince.get("Invoices")).hasSize(1);

    assertThat(get("/api.xro/2.0/Invoices?Statuses=DRAFT").get("Invoices"))
        .extracting(n -> n.get("InvoiceID").asText())
        .containsExactly(b);
    assertThat(get("/api.xro/2.0/Invoices?Statuses=PAID,DRAFT").get("Invoices")).hasSize(2);
    assertThat(get("/api.xro/2.0/Invoices?ContactIDs=" + acme).get("Invoices"))
        .extracting(n -> n.get("InvoiceID").asText())
        .containsExactly(a);
    assertThat(get("/api.xro/2.0/Invoices?InvoiceNumbers=B-1,INV-0001").get("Invoices")).hasSize(2);
    assertThat(
            get("/api.xro/2.0/Invoices?order=Total%20DESC")
                .get("Invoices")
                .get(0)
                .get("InvoiceID")
                .asText())
        .isEqualTo(b);
    assertThat(
            get("/api.xro/2.0/Invoices?order=Date")
                .get("Invoices")
                .get(0)
                .get("InvoiceID")
                .asText())
        .isEqualTo(a);
    assertThat(http.get("/api.xro/2.0/Invoices?order=Nope", token, org.tenantId()).status())
        .isEqualTo(400);
  }

  JsonNode get2(String path, String header, String value) {
    SimHttp.Resp r = http.get(path, token, org.tenantId(), header, value);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void tooLongUrlFailsLikeXerosGateway() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(java.util.UUID.randomUUID().toString());
    }
    // SDKs percent-encode the commas: 52 ids fit, 53 do not (Xero-OpenAPI#534).
    assertThat(
            http.get(
                    "/api.xro/2.0/Invoices?IDs=" + String.join("%2C", ids.subList(0, 52)),
                    token,
                    org.tenantId())
                .status())
        .isEqualTo(200);
    SimHttp.Resp tooLong =
        http.get(
            "/api.xro/2.0/Invoices?IDs=" + String.join("%2C", ids.subList(0, 53)),
            token,
            org.tenantId());
    assertThat(tooLong.status()).isEqualTo(404);
    assertThat(tooLong.body()).isEqualTo("The resource you're looking for cannot be found");
    assertThat(
            http.get(
                    "/api.xro/2.0/Invoices?IDs=" + String.join(",", ids.subList(0, 55)),
                    token,
                    org.tenantId())
                .status())
        .isEqualTo(200);
    assertThat(
            http.get(
                    "/api.xro/2.0/Invoices?IDs=" + String.join(",", ids.subList(0, 56)),
                    token,
                    org.tenantId())
                .status())
        .isEqualTo(404);
  }

  @Test
  void creditNoteReducesAmountDueAndShowsOnInvoice() {
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), new BigDecimal("100.00"));
    String cn = org.creditNote(id, new BigDecimal("30.00"), LocalDate.of(2026, 1, 10));
    JsonNode inv = get("/api.xro/2.0/Invoices/" + id).get("Invoices").get(0);
    assertThat(inv.get("AmountCredited").toString()).isEqualTo("30.00");
    assertThat(inv.get("AmountDue").toString()).isEqualTo("70.00");
    assertThat(inv.get("CreditNotes").get(0).get("CreditNoteID").asText()).isEqualTo(cn);
    assertThat(inv.get("CreditNotes").get(0).get("AppliedAmount").toString()).isEqualTo("30.00");
    org.pay(id, new BigDecimal("70.00"), LocalDate.of(2026, 1, 12), "rest");
    assertThat(org.invoice(id).status()).isEqualTo("PAID");
  }
}
