package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.xero.XeroSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every write request a client sends here and every response the simulator gives validate against
 * Xero's published accounting spec, as the read operations do in {@link XeroSimulatorContractTest}:
 * successes, validation errors, summarizeErrors=false batches and idempotent replays.
 */
@ExtendWith(XeroSpec.Needed.class)
class XeroSimulatorWriteContractIntegrationTest {
  static XeroSimulator sim;
  static SimHttp http;
  static SimOrganisation org;
  static String token, acme, authorised;
  static OpenApiInteractionValidator accounting;

  @BeforeAll
  static void start() {
    accounting = XeroSimulatorContractIntegrationTest.validator("xero_accounting.yaml");
    sim = XeroSimulator.builder().app("app", "secret", "xero-sync").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Write Contract Org");
    org.subscribeCurrency("USD");
    org.lockDates(LocalDate.of(2020, 1, 31), LocalDate.of(2019, 3, 31));
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme", "cust-1");
    authorised =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), new BigDecimal("100.00"));
  }

  @AfterAll
  static void stop() {
    if (sim != null) { // null when the spec is missing and the class was skipped
      sim.close();
    }
  }

  /** Sends the request, checks it and the response against the spec, returns the response. */
  static SimHttp.Resp exchange(
      String method, String target, String body, int expected, String... headers) {
    SimHttp.Resp r = http.send(method, target, token, org.tenantId(), body, headers);
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String specPath = path.substring("/api.xro/2.0".length());
    SimpleRequest.Builder b =
        new SimpleRequest.Builder(method, specPath)
            .withHeader("Authorization", "Bearer " + token)
            .withHeader("xero-tenant-id", org.tenantId())
            .withHeader("Accept", "application/json");
    if (body != null) {
      b.withContentType("application/json").withBody(body);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.withHeader(headers[i], headers[i + 1]);
    }
    if (q >= 0) {
      for (Map.Entry<String, String> e :
          SimRequest.parseQuery(target.substring(q + 1)).entrySet()) {
        b.withQueryParam(e.getKey(), e.getValue());
      }
    }
    ValidationReport report = accounting.validateRequest(b.build());
    assertThat(report.getMessages()).as("request " + method + " " + target + " " + body).isEmpty();
    XeroSimulatorContractIntegrationTest.check(
        accounting, "/api.xro/2.0" + specPath, Request.Method.valueOf(method), r, expected);
    return r;
  }

  @Test
  void theRequestCheckRejectsWhatTheSpecDoesNotAllow() {
    ValidationReport report =
        accounting.validateRequest(
            new SimpleRequest.Builder("PUT", "/Invoices")
                .withHeader("Authorization", "Bearer " + token)
                .withHeader("xero-tenant-id", org.tenantId())
                .withContentType("application/json")
                .withBody("{\"Invoices\":[{\"Type\":\"BOGUS\",\"LineItems\":\"none\"}]}")
                .build());
    assertThat(report.getMessages()).isNotEmpty();
  }

  @Test
  void creditAllocationsTheirDeletionAndRefundsFollowTheSpec() {
    String invoiceId =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1), new BigDecimal("80.00"));
    for (String kind : new String[] {"CreditNotes", "Overpayments", "Prepayments"}) {
      String credit =
          switch (kind) {
            case "CreditNotes" ->
                org.creditNoteFor(acme, new BigDecimal("20.00"), LocalDate.of(2026, 3, 2));
            case "Overpayments" ->
                org.overpayment(acme, new BigDecimal("20.00"), LocalDate.of(2026, 3, 2));
            default -> org.prepayment(acme, new BigDecimal("20.00"), LocalDate.of(2026, 3, 2));
          };
      String allocationId =
          exchange(
                  "PUT",
                  "/api.xro/2.0/" + kind + "/" + credit + "/Allocations",
                  "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\""
                      + invoiceId
                      + "\"},\"Amount\":5,\"Date\":\"2026-03-05\"}]}",
                  200)
              .json()
              .at("/Allocations/0/AllocationID")
              .asText();
      exchange(
          "DELETE",
          "/api.xro/2.0/" + kind + "/" + credit + "/Allocations/" + allocationId,
          null,
          200);
      String idField =
          switch (kind) {
            case "CreditNotes" -> "CreditNote\":{\"CreditNoteID";
            case "Overpayments" -> "Overpayment\":{\"OverpaymentID";
            default -> "Prepayment\":{\"PrepaymentID";
          };
      exchange(
          "PUT",
          "/api.xro/2.0/Payments",
          "{\"Payments\":[{\""
              + idField
              + "\":\""
              + credit
              + "\"},\"Account\":{\"Code\":\"090\"},\"Date\":\"2026-03-06\",\"Amount\":2}]}",
          200);
    }
    exchange("GET", "/api.xro/2.0/Payments", null, 200);
  }

  static String invoice(String number, String extra) {
    return "{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
        + acme
        + "\"},\"Date\":\"2026-01-10\",\"DueDate\":\"2026-02-10\",\"InvoiceNumber\":\""
        + number
        + "\",\"Reference\":\"ORDER-"
        + number
        + "\",\"CurrencyCode\":\"USD\",\"CurrencyRate\":0.61,"
        + "\"LineItems\":[{\"Description\":\"Widget\",\"Quantity\":2,\"UnitAmount\":50.5,\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT2\",\"DiscountRate\":10,\"ItemCode\":\"W-1\"},"
        + "{\"Description\":\"Shipping\",\"Quantity\":1,\"UnitAmount\":7.5,\"AccountCode\":\"260\"}]"
        + extra
        + "}";
  }

  @Test
  void invoicesCreateUpdateBatchAndReplay() {
    String id =
        exchange(
                "PUT",
                "/api.xro/2.0/Invoices",
                "{\"Invoices\":[" + invoice("WC-1", ",\"Status\":\"AUTHORISED\"") + "]}",
                200,
                "Idempotency-Key",
                "wc-1")
            .json()
            .at("/Invoices/0/InvoiceID")
            .asText();
    exchange(
        "PUT",
        "/api.xro/2.0/Invoices",
        "{\"Invoices\":[" + invoice("WC-1", ",\"Status\":\"AUTHORISED\"") + "]}",
        200,
        "Idempotency-Key",
        "wc-1");
    exchange(
        "PUT",
        "/api.xro/2.0/Invoices",
        "{\"Invoices\":[" + invoice("WC-2", "") + "]}",
        400,
        "Idempotency-Key",
        "wc-1");
    String line = org.invoice(id).invoice().lineItems().getFirst().lineItemId();
    exchange(
        "POST",
        "/api.xro/2.0/Invoices/" + id,
        "{\"Invoices\":[{\"LineItems\":[{\"LineItemID\":\"" + line + "\",\"Quantity\":3}]}]}",
        200);
    SimHttp.Resp batch =
        exchange(
            "PUT",
            "/api.xro/2.0/Invoices?summarizeErrors=false",
            "{\"Invoices\":["
                + invoice("WC-3", "")
                + ","
                + invoice("WC-3", ",\"LineAmountTypes\":\"Inclusive\"")
                + "]}",
            200);
    assertThat(batch.json().at("/Invoices/0/StatusAttributeString").asText()).isEqualTo("OK");
    assertThat(batch.json().at("/Invoices/1/StatusAttributeString").asText()).isEqualTo("ERROR");
    exchange(
        "PUT",
        "/api.xro/2.0/Invoices",
        "{\"Invoices\":[" + invoice("WC-4", ",\"CurrencyCode\":\"GBP\"") + "]}",
        400);
  }

  @Test
  void contactsPutPostAndBatch() {
    exchange(
        "PUT",
        "/api.xro/2.0/Contacts",
        "{\"Contacts\":[{\"Name\":\"Globex\",\"ContactNumber\":\"cust-2\",\"EmailAddress\":\"ap@globex.co\"}]}",
        200);
    String id =
        exchange(
                "POST",
                "/api.xro/2.0/Contacts",
                "{\"Contacts\":[{\"Name\":\"Globex Corp\",\"ContactNumber\":\"cust-2\"}]}",
                200)
            .json()
            .at("/Contacts/0/ContactID")
            .asText();
    exchange(
        "POST",
        "/api.xro/2.0/Contacts/" + id,
        "{\"Contacts\":[{\"ContactStatus\":\"ARCHIVED\"}]}",
        200);
    exchange("PUT", "/api.xro/2.0/Contacts", "{\"Contacts\":[{\"Name\":\"Acme\"}]}", 400);
    exchange(
        "PUT",
        "/api.xro/2.0/Contacts?summarizeErrors=false",
        "{\"Contacts\":[{\"Name\":\"Initech\"},{\"Name\":\"Acme\"}]}",
        200);
  }

  @Test
  void paymentsIntoPaymentAccounts() {
    String body =
        "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\""
            + authorised
            + "\"},\"Account\":{\"Code\":\"615\"},\"Date\":\"2026-01-09\",\"Amount\":1.00,\"Reference\":\"ch_1\"}]}";
    exchange("PUT", "/api.xro/2.0/Payments", body, 200, "Idempotency-Key", "pay-1");
    exchange("PUT", "/api.xro/2.0/Payments", body.replace("615", "200"), 400);
    exchange(
        "PUT",
        "/api.xro/2.0/Payments?summarizeErrors=false",
        "{\"Payments\":["
            + body.substring(13, body.length() - 2)
            + ","
            + body.replace("615", "200").substring(13, body.length() - 2)
            + "]}",
        200);
  }

  @Test
  void bankTransactionsAndReferenceData() {
    String deposit =
        "{\"BankTransactions\":[{\"Type\":\"RECEIVE\",\"Contact\":{\"ContactID\":\""
            + acme
            + "\"},\"BankAccount\":{\"Code\":\"090\"},\"Date\":\"2026-01-20\",\"Reference\":\"PAYOUT-1\",\"LineItems\":[{\"Description\":\"Payout\",\"Quantity\":1,\"UnitAmount\":80,\"AccountCode\":\"260\"}]}]}";
    exchange("PUT", "/api.xro/2.0/BankTransactions", deposit, 200);
    exchange(
        "PUT",
        "/api.xro/2.0/BankTransactions",
        deposit.replace("\"RECEIVE\"", "\"RECEIVE-OVERPAYMENT\""),
        200);
    exchange("PUT", "/api.xro/2.0/BankTransactions", deposit.replace("\"090\"", "\"615\""), 400);
    exchange(
        "PUT",
        "/api.xro/2.0/BankTransactions?summarizeErrors=false",
        deposit.replace("\"090\"", "\"615\""),
        200);
    for (String path :
        List.of(
            "/api.xro/2.0/BankTransactions",
            "/api.xro/2.0/TaxRates",
            "/api.xro/2.0/Currencies",
            "/api.xro/2.0/Organisation",
            "/api.xro/2.0/Accounts")) {
      exchange("GET", path, null, 200);
    }
  }
}
