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
 * Credits as Xero serves them: allocation dates, PUT and DELETE of allocations, refunds in the
 * Payments feed with their Invoice.Type, and CREDITNOTE webhooks.
 */
class XeroSimulatorCreditsIntegrationTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  WebhookReceiver receiver = new WebhookReceiver();
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;
  String acme;

  @BeforeEach
  void start() {
    sim =
        XeroSimulator.builder()
            .clock(clock)
            .app("app", "secret", "xero-sync")
            .webhookUrl(receiver.url())
            .webhookBatchWindow(Duration.ofMillis(5))
            .start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org One");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme Ltd");
  }

  @AfterEach
  void stop() {
    sim.close();
    receiver.close();
  }

  SimHttp.Resp send(String method, String path, String body) {
    return http.send(method, path, token, org.tenantId(), body);
  }

  JsonNode ok(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  String invoice(LocalDate date, String amount) {
    return org.createAuthorisedInvoice(acme, date, date.plusDays(30), new BigDecimal(amount));
  }

  JsonNode getInvoice(String id) {
    return ok(send("GET", "/api.xro/2.0/Invoices/" + id, null)).get("Invoices").get(0);
  }

  @Test
  void allocationDateIsTheLaterOfInvoiceAndCreditDatesWhateverWasSent() {
    String early = invoice(LocalDate.of(2026, 1, 10), "100.00");
    String late = invoice(LocalDate.of(2026, 2, 20), "100.00");
    String over = org.overpayment(acme, new BigDecimal("60.00"), LocalDate.of(2026, 2, 1));
    JsonNode first =
        ok(send(
                "PUT",
                "/api.xro/2.0/Overpayments/" + over + "/Allocations",
                "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\""
                    + early
                    + "\"},\"Amount\":20,\"Date\":\"2025-12-01\"}]}"))
            .get("Allocations")
            .get(0);
    assertThat(first.get("DateString").asText()).isEqualTo("2026-02-01T00:00:00");
    // The spec's shape: the invoice with Xero's empty collections, and the credit it came from.
    assertThat(first.get("Invoice").get("InvoiceID").asText()).isEqualTo(early);
    assertThat(first.get("Invoice").get("CreditNotes").isArray()).isTrue();
    assertThat(first.get("Overpayment").get("OverpaymentID").asText()).isEqualTo(over);
    assertThat(first.get("ValidationErrors").isArray()).isTrue();
    assertThat(first.get("Amount").toString()).isEqualTo("20.00");
    org.allocate(over, late, new BigDecimal("10.00"), LocalDate.of(2026, 1, 1));

    JsonNode listed = ok(send("GET", "/api.xro/2.0/Overpayments/" + over, null));
    List<String> dates = new ArrayList<>();
    listed
        .get("Overpayments")
        .get(0)
        .get("Allocations")
        .forEach(a -> dates.add(a.get("DateString").asText()));
    assertThat(dates).containsExactly("2026-02-01T00:00:00", "2026-02-20T00:00:00");
  }

  @Test
  void deletingAnAllocationReopensThePaidInvoiceAndGivesTheCreditBack() {
    String id = invoice(LocalDate.of(2026, 2, 1), "50.00");
    String cn = org.creditNoteFor(acme, new BigDecimal("50.00"), LocalDate.of(2026, 2, 2));
    String allocationId = org.allocate(cn, id, new BigDecimal("50.00"), null);
    assertThat(getInvoice(id).get("Status").asText()).isEqualTo("PAID");
    JsonNode note =
        ok(send("GET", "/api.xro/2.0/CreditNotes/" + cn, null)).get("CreditNotes").get(0);
    assertThat(note.get("Status").asText()).isEqualTo("PAID");

    clock.advance(Duration.ofMinutes(1));
    JsonNode deleted =
        ok(send("DELETE", "/api.xro/2.0/CreditNotes/" + cn + "/Allocations/" + allocationId, null));
    assertThat(deleted.get("IsDeleted").asBoolean()).isTrue();
    assertThat(deleted.get("Invoice").get("InvoiceID").asText()).isEqualTo(id);

    JsonNode reopened = getInvoice(id);
    assertThat(reopened.get("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(reopened.get("AmountDue").toString()).isEqualTo("50.00");
    assertThat(reopened.get("AmountCredited").toString()).isEqualTo("0.00");
    assertThat(reopened.get("CreditNotes")).isEmpty();
    assertThat(reopened.has("FullyPaidOnDate")).isFalse();
    note = ok(send("GET", "/api.xro/2.0/CreditNotes/" + cn, null)).get("CreditNotes").get(0);
    assertThat(note.get("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(note.get("RemainingCredit").toString()).isEqualTo("50.00");
    assertThat(note.get("Allocations")).isEmpty();
    assertThat(note.get("UpdatedDateUTC").asText()).isEqualTo(XeroJson.msDateTime(clock.instant()));

    assertThat(
            send("DELETE", "/api.xro/2.0/CreditNotes/" + cn + "/Allocations/" + allocationId, null)
                .status())
        .as("already deleted")
        .isEqualTo(404);
    assertThat(
            send("DELETE", "/api.xro/2.0/Prepayments/" + cn + "/Allocations/" + allocationId, null)
                .status())
        .as("a credit note is not a prepayment")
        .isEqualTo(404);
  }

  @Test
  void refundsOfCreditsAreInThePaymentsFeedWithTheCreditsInvoiceType() {
    String cn = org.creditNoteFor(acme, new BigDecimal("30.00"), LocalDate.of(2026, 2, 2));
    String over = org.overpayment(acme, new BigDecimal("20.00"), LocalDate.of(2026, 2, 3));
    String pre = org.prepayment(acme, new BigDecimal("10.00"), LocalDate.of(2026, 2, 4));
    String inv = invoice(LocalDate.of(2026, 2, 1), "40.00");
    org.pay(inv, new BigDecimal("5.00"), LocalDate.of(2026, 2, 5), "part");
    org.refundCredit(cn, new BigDecimal("12.00"), LocalDate.of(2026, 2, 6));
    org.refundCredit(over, new BigDecimal("20.00"), LocalDate.of(2026, 2, 6));
    org.refundCredit(pre, new BigDecimal("1.00"), LocalDate.of(2026, 2, 6));

    List<String> seen = new ArrayList<>();
    for (JsonNode p : ok(send("GET", "/api.xro/2.0/Payments", null)).get("Payments")) {
      seen.add(
          p.get("PaymentType").asText()
              + " "
              + p.get("Invoice").get("Type").asText()
              + " "
              + p.get("Invoice").get("InvoiceID").asText());
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "ACCRECPAYMENT ACCREC " + inv,
            "ARCREDITPAYMENT ACCRECCREDIT " + cn,
            "AROVERPAYMENTPAYMENT AROVERPAYMENT " + over,
            "ARPREPAYMENTPAYMENT ARPREPAYMENT " + pre);
    JsonNode note =
        ok(send("GET", "/api.xro/2.0/CreditNotes/" + cn, null)).get("CreditNotes").get(0);
    assertThat(note.get("RemainingCredit").toString()).isEqualTo("18.00");
    assertThat(note.get("Payments").get(0).get("Amount").toString()).isEqualTo("12.00");
    JsonNode overpayment =
        ok(send("GET", "/api.xro/2.0/Overpayments/" + over, null)).get("Overpayments").get(0);
    assertThat(overpayment.get("Status").asText()).as("refunded in full").isEqualTo("PAID");
  }

  @Test
  void aRefundIsPutAsAPaymentNamingTheCredit() {
    String cn = org.creditNoteFor(acme, new BigDecimal("30.00"), LocalDate.of(2026, 2, 2));
    String body =
        "{\"Payments\":[{\"CreditNote\":{\"CreditNoteID\":\""
            + cn
            + "\"},\"Account\":{\"Code\":\"090\"},\"Date\":\"2026-02-10\",\"Amount\":AMOUNT}]}";
    JsonNode paid =
        ok(send("PUT", "/api.xro/2.0/Payments", body.replace("AMOUNT", "30.00")))
            .get("Payments")
            .get(0);
    assertThat(paid.get("PaymentType").asText()).isEqualTo("ARCREDITPAYMENT");
    assertThat(paid.get("Invoice").get("Type").asText()).isEqualTo("ACCRECCREDIT");
    assertThat(paid.get("CreditNote").get("CreditNoteID").asText()).isEqualTo(cn);
    assertThat(org.credit(cn).status()).isEqualTo("PAID");
    assertThat(send("PUT", "/api.xro/2.0/Payments", body.replace("AMOUNT", "1.00")).status())
        .as("nothing left to refund")
        .isEqualTo(400);
  }

  @Test
  void creditNotesRaiseCreditNoteWebhooks() throws Exception {
    String id = invoice(LocalDate.of(2026, 2, 1), "50.00");
    sim.awaitDeliveriesIdle(Duration.ofSeconds(5));
    receiver.received.clear();
    String cn = org.creditNoteFor(acme, new BigDecimal("20.00"), LocalDate.of(2026, 2, 2));
    String allocation = org.allocate(cn, id, new BigDecimal("20.00"), null);
    org.deallocate(cn, allocation);
    String over = org.overpayment(acme, new BigDecimal("5.00"), LocalDate.of(2026, 2, 2));
    org.allocate(over, id, new BigDecimal("5.00"), null);
    sim.awaitDeliveriesIdle(Duration.ofSeconds(5));

    List<String> events = new ArrayList<>();
    for (var r : receiver.received) {
      for (JsonNode e : XeroJson.MAPPER.readTree(r.body()).get("events")) {
        events.add(
            e.get("eventCategory").asText()
                + " "
                + e.get("eventType").asText()
                + " "
                + e.get("resourceId").asText());
        if (e.get("eventCategory").asText().equals("CREDITNOTE")) {
          assertThat(e.get("resourceUrl").asText()).endsWith("/api.xro/2.0/CreditNotes/" + cn);
        }
      }
    }
    assertThat(events).contains("CREDITNOTE CREATE " + cn, "CREDITNOTE UPDATE " + cn);
    assertThat(events)
        .as("allocations and un-allocations change the invoice")
        .contains("INVOICE UPDATE " + id);
    assertThat(events).as("Xero has no overpayment webhooks").noneMatch(e -> e.endsWith(over));
  }
}
