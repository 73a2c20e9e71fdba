package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money received outside an invoice payment: RECEIVE as a stand-alone deposit, and
 * RECEIVE-OVERPAYMENT / RECEIVE-PREPAYMENT creating the credit; each findable by Reference, as are
 * payments.
 */
class XeroSimulatorBankTransactionsTest {
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;
  String acme;

  @BeforeEach
  void start() {
    sim =
        XeroSimulator.builder()
            .clock(SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z")))
            .app("app", "s")
            .start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Bank Org");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  SimHttp.Resp send(String method, String path, String body) {
    return http.send(method, path, token, org.tenantId(), body);
  }

  String receive(String type, String bankCode, String reference, String amount) {
    return "{\"BankTransactions\":[{\"Type\":\""
        + type
        + "\",\"Contact\":{\"ContactID\":\""
        + acme
        + "\"},\"BankAccount\":{\"Code\":\""
        + bankCode
        + "\"},\"Date\":\"2026-02-20\",\"Reference\":\""
        + reference
        + "\",\"LineAmountTypes\":\"NoTax\",\"LineItems\":[{\"Description\":\"Payout\",\"Quantity\":1,\"UnitAmount\":"
        + amount
        + (type.equals("RECEIVE") ? ",\"AccountCode\":\"260\"" : "")
        + "}]}]}";
  }

  JsonNode ok(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static String where(String clause) {
    return URLEncoder.encode(clause, StandardCharsets.UTF_8);
  }

  @Test
  void aDepositIsAReceiveIntoABankAccountFoundByReference() {
    JsonNode b =
        ok(send(
                "PUT",
                "/api.xro/2.0/BankTransactions",
                receive("RECEIVE", "090", "PAYOUT-7", "250.00")))
            .at("/BankTransactions/0");
    assertThat(b.get("Type").asText()).isEqualTo("RECEIVE");
    assertThat(b.get("Total").toString()).isEqualTo("250.00");
    assertThat(b.at("/BankAccount/Code").asText()).isEqualTo("090");
    assertThat(org.bankTransactions()).hasSize(1);
    JsonNode found =
        ok(send(
                "GET",
                "/api.xro/2.0/BankTransactions?where=" + where("Reference==\"PAYOUT-7\""),
                null))
            .get("BankTransactions");
    assertThat(found)
        .extracting(n -> n.get("BankTransactionID").asText())
        .containsExactly(b.get("BankTransactionID").asText());

    SimHttp.Resp notBank =
        send("PUT", "/api.xro/2.0/BankTransactions", receive("RECEIVE", "615", "X", "1.00"));
    assertThat(notBank.status()).isEqualTo(400);
    assertThat(notBank.json().at("/Elements/0/ValidationErrors/0/Message").asText())
        .isEqualTo(XeroMessages.BANK_ACCOUNT_REQUIRED);
    org.archiveContact(acme);
    assertThat(
            send("PUT", "/api.xro/2.0/BankTransactions", receive("RECEIVE", "090", "Y", "1.00"))
                .json()
                .at("/Elements/0/ValidationErrors/0/Message")
                .asText())
        .isEqualTo(XeroMessages.CONTACT_ARCHIVED);
  }

  @Test
  void receiveOverpaymentAndPrepaymentCreateTheCredit() {
    JsonNode over =
        ok(send(
                "PUT",
                "/api.xro/2.0/BankTransactions",
                receive("RECEIVE-OVERPAYMENT", "090", "OVER-1", "40.00")))
            .at("/BankTransactions/0");
    String overId = over.get("OverpaymentID").asText();
    Credit o = org.credit(overId);
    assertThat(o.kind()).isEqualTo(Credit.Kind.OVERPAYMENT);
    assertThat(o.total()).isEqualByComparingTo("40.00");
    assertThat(
            ok(send("GET", "/api.xro/2.0/Overpayments/" + overId, null))
                .at("/Overpayments/0/RemainingCredit")
                .toString())
        .isEqualTo("40.00");

    String pre =
        ok(send(
                "PUT",
                "/api.xro/2.0/BankTransactions",
                receive("RECEIVE-PREPAYMENT", "091", "PRE-1", "15.00")))
            .at("/BankTransactions/0/PrepaymentID")
            .asText();
    assertThat(org.credit(pre).kind()).isEqualTo(Credit.Kind.PREPAYMENT);
    String inv =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), new BigDecimal("15.00"));
    org.allocate(pre, inv, new BigDecimal("15.00"), LocalDate.of(2026, 2, 21));
    assertThat(org.invoice(inv).status()).isEqualTo("PAID");
  }

  @Test
  void paymentsAreFoundByReference() {
    String inv =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), new BigDecimal("50.00"));
    org.pay(inv, new BigDecimal("10.00"), LocalDate.of(2026, 2, 2), "ch_123");
    org.pay(inv, new BigDecimal("5.00"), LocalDate.of(2026, 2, 3), "ch_456");
    JsonNode found =
        ok(send("GET", "/api.xro/2.0/Payments?where=" + where("Reference==\"ch_456\""), null))
            .get("Payments");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("Amount").toString()).isEqualTo("5.00");
  }
}
