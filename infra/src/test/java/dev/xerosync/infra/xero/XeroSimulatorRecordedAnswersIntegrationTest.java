package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator answers as Xero's recorded answers and the spec's examples do: one test per shape,
 * each naming its source. The wordings are XeroMessages' constants, which cite theirs.
 */
class XeroSimulatorRecordedAnswersIntegrationTest {
  static XeroSimulator sim;
  static SimHttp http;
  static SimOrganisation org;
  static String token;
  static String acme;

  @BeforeAll
  static void start() {
    sim = XeroSimulator.builder().app("app", "secret", "xero-sync").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Recorded Answers Org");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme", "cust-1");
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private static SimHttp.Resp put(String path, String body) {
    return http.send("PUT", "/api.xro/2.0/" + path, token, org.tenantId(), body);
  }

  /** pyxero's xero/tests/test_exceptions.py, "Verified response from the live API". */
  @Test
  void aPaidInvoiceWithoutLinesOrContactGetsXerosThreeMessagesInItsOrder() {
    SimHttp.Resp r =
        put(
            "Invoices",
            "{\"Invoices\":[{\"Type\":\"ACCREC\",\"LineAmountTypes\":\"Exclusive\","
                + "\"Date\":\"2013-04-29\",\"DueDate\":\"2013-04-29\",\"Reference\":\"Order #"
                + " 123456\",\"Status\":\"PAID\"}]}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode body = r.json();
    assertThat(body.path("ErrorNumber").asInt()).isEqualTo(10);
    assertThat(body.path("Type").asText()).isEqualTo("ValidationException");
    assertThat(body.path("Message").asText()).isEqualTo("A validation exception occurred");
    assertThat(body.path("Elements").path(0).path("ValidationErrors").findValuesAsText("Message"))
        .containsExactly(
            "One or more line items must be specified",
            "Invoice not of valid status for creation",
            "A Contact must be specified for this type of transaction");
    assertThat(XeroMessages.LINE_ITEMS_REQUIRED)
        .isEqualTo("One or more line items must be specified");
    // The refused element in Xero's shapes, not as sent: its id all zeros, its dates Xero's.
    JsonNode el = body.path("Elements").path(0);
    assertThat(el.path("InvoiceID").asText()).isEqualTo("00000000-0000-0000-0000-000000000000");
    assertThat(el.path("Date").asText()).isEqualTo("/Date(1367193600000+0000)/");
    assertThat(el.path("DateString").asText()).isEqualTo("2013-04-29T00:00:00");
  }

  /** The spec's createInvoices example: an ERROR element under summarizeErrors=false. */
  @Test
  void aRefusedElementInABatchComesBackInXerosShapes() {
    SimHttp.Resp r =
        http.send(
            "PUT",
            "/api.xro/2.0/Invoices?summarizeErrors=false",
            token,
            org.tenantId(),
            "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
                + acme
                + "\"},\"Date\":\"2026-03-07\",\"DueDate\":\"2026-03-13\",\"Status\":\"PAID\"}]}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode el = r.json().path("Invoices").path(0);
    assertThat(el.path("StatusAttributeString").asText()).isEqualTo("ERROR");
    assertThat(el.path("InvoiceID").asText()).isEqualTo("00000000-0000-0000-0000-000000000000");
    assertThat(el.path("DueDate").asText()).startsWith("/Date(");
    assertThat(el.path("DueDateString").asText()).isEqualTo("2026-03-13T00:00:00");
    assertThat(el.path("ValidationErrors").findValuesAsText("Message"))
        .containsExactly(XeroMessages.LINE_ITEMS_REQUIRED, XeroMessages.STATUS_ON_CREATE);
  }

  /** The spec's createPayment example: the Invoice as the payment left it. */
  @Test
  void aPaymentsAnswerCarriesItsInvoiceWithAmountDueAmountPaidAndStatus() {
    String invoice =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), new BigDecimal("100.00"));

    SimHttp.Resp r =
        put(
            "Payments",
            "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\""
                + invoice
                + "\"},\"Account\":{\"Code\":\"090\"},\"Date\":\"2026-01-09\",\"Amount\":40.00}]}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode inv = r.json().path("Payments").path(0).path("Invoice");
    assertThat(inv.path("AmountDue").decimalValue()).isEqualByComparingTo("60.00");
    assertThat(inv.path("AmountPaid").decimalValue()).isEqualByComparingTo("40.00");
    assertThat(inv.path("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(inv.path("Total").decimalValue()).isEqualByComparingTo("100.00");
  }

  /** The spec's BankTransactions examples: DateString beside Date. */
  @Test
  void aBankTransactionCarriesDateStringBesideItsDate() {
    SimHttp.Resp r =
        put(
            "BankTransactions",
            "{\"BankTransactions\":[{\"Type\":\"RECEIVE\",\"Contact\":{\"ContactID\":\""
                + acme
                + "\"},\"BankAccount\":{\"Code\":\"090\"},\"Date\":\"2026-01-20\","
                + "\"LineItems\":[{\"Description\":\"Payout\",\"Quantity\":1,\"UnitAmount\":80,"
                + "\"AccountCode\":\"260\"}]}]}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode t = r.json().path("BankTransactions").path(0);
    assertThat(t.path("DateString").asText()).isEqualTo("2026-01-20T00:00:00");
    assertThat(t.path("Date").asText()).startsWith("/Date(");
  }

  /**
   * A Type that is no InvoiceType: the whole request refused as post data Xero cannot read
   * (XeroMessages.notConvertible names the recorded answers), not a validation message.
   */
  @Test
  void anInvoiceTypeXeroDoesNotKnowIsPostDataItCannotRead() {
    SimHttp.Resp r =
        put(
            "Invoices",
            "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
                + acme
                + "\"}},{\"Type\":\"SALES\",\"Contact\":{\"ContactID\":\""
                + acme
                + "\"}}]}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode body = r.json();
    assertThat(body.path("ErrorNumber").asInt()).isEqualTo(14);
    assertThat(body.path("Type").asText()).isEqualTo("PostDataInvalidException");
    assertThat(body.path("Message").asText())
        .isEqualTo(
            "Error converting value \"SALES\" to type 'Xero.API.Library..InvoiceType'."
                + " Path 'Invoices[1].Type'.");
    assertThat(body.has("Elements")).isFalse();
  }

  /** The spec's createBankTransactions example: a zero ContactID identifies no contact. */
  @Test
  void aBankTransactionWithAZeroContactIdGetsTheSpecsMessage() {
    SimHttp.Resp r =
        http.send(
            "PUT",
            "/api.xro/2.0/BankTransactions?summarizeErrors=false",
            token,
            org.tenantId(),
            "{\"BankTransactions\":[{\"Type\":\"SPEND\",\"Contact\":{\"ContactID\":"
                + "\"00000000-0000-0000-0000-000000000000\"},\"LineItems\":[{\"Description\":"
                + "\"Foobar\",\"Quantity\":1,\"UnitAmount\":20,\"AccountCode\":\"400\"}],"
                + "\"BankAccount\":{\"Code\":\"090\"}}]}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode el = r.json().path("BankTransactions").path(0);
    assertThat(el.path("StatusAttributeString").asText()).isEqualTo("ERROR");
    assertThat(el.path("ValidationErrors").findValuesAsText("Message"))
        .containsExactly(XeroMessages.CONTACT_NOT_IDENTIFIED);
    assertThat(XeroMessages.CONTACT_NOT_IDENTIFIED)
        .isEqualTo(
            "The Contact must contain at least 1 of the following elements to identify the"
                + " contact: Name, ContactID, ContactNumber");
  }

  /**
   * Xero-Java#171 and Xero-NetStandard#156 (recorded 400s): a refused invoice carries HasErrors;
   * the spec's createContacts example: a refused contact HasValidationErrors. Xero reads the
   * request into its model, so a misspelt key never comes back.
   */
  @Test
  void refusedElementsCarryTheirErrorFlagAndNoKeyXeroDoesNotKnow() {
    SimHttp.Resp invoice =
        put(
            "Invoices",
            "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
                + acme
                + "\",\"Nmae\":\"x\"},\"Referense\":\"typo\",\"Reference\":\"ok\","
                + "\"Status\":\"PAID\",\"LineItems\":[{\"Descriptoin\":\"x\"}]}]}");
    SimHttp.Resp contact =
        put("Contacts", "{\"Contacts\":[{\"Name\":\"Acme\",\"EmialAddress\":\"a@b.c\"}]}");

    assertThat(invoice.status()).isEqualTo(400);
    JsonNode inv = invoice.json().path("Elements").path(0);
    assertThat(inv.path("HasErrors").asBoolean()).isTrue();
    assertThat(inv.path("Reference").asText()).isEqualTo("ok");
    assertThat(inv.has("Referense")).isFalse();
    assertThat(inv.path("Contact").has("Nmae")).isFalse();
    assertThat(inv.path("LineItems").path(0).has("Descriptoin")).isFalse();
    assertThat(contact.status()).isEqualTo(400);
    JsonNode con = contact.json().path("Elements").path(0);
    assertThat(con.path("HasValidationErrors").asBoolean()).isTrue();
    assertThat(con.path("Name").asText()).isEqualTo("Acme");
    assertThat(con.has("EmialAddress")).isFalse();
  }
}
