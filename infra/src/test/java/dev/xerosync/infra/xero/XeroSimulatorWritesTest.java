package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through the accounting API: invoice lifecycle, payments, allocations, batch errors and
 * idempotency.
 */
class XeroSimulatorWritesTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
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
            .app("other", "secret")
            .start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org One");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme Ltd");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  SimHttp.Resp send(String method, String path, String body, String... headers) {
    return http.send(method, path, token, org.tenantId(), body, headers);
  }

  JsonNode ok(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  String draftJson(String number) {
    return "{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
        + acme
        + "\"},\"Date\":\"2026-02-01\",\"DueDate\":\"2026-03-01\","
        + (number == null ? "" : "\"InvoiceNumber\":\"" + number + "\",")
        + "\"LineItems\":[{\"Description\":\"Widgets\",\"Quantity\":3,\"UnitAmount\":10,\"AccountCode\":\"200\"}]}";
  }

  String status(String id, String status) {
    return "{\"Invoices\":[{\"InvoiceID\":\"" + id + "\",\"Status\":\"" + status + "\"}]}";
  }

  @Test
  void invoiceLifecycleFollowsXeroTransitions() {
    JsonNode created =
        ok(send("PUT", "/api.xro/2.0/Invoices", "{\"Invoices\":[" + draftJson(null) + "]}"))
            .get("Invoices")
            .get(0);
    String id = created.get("InvoiceID").asText();
    assertThat(created.get("Status").asText()).isEqualTo("DRAFT");
    assertThat(created.get("InvoiceNumber").asText()).isEqualTo("INV-0001");
    // Exclusive, account 200 carries OUTPUT2 (15% GST in NZ).
    assertThat(created.get("SubTotal").toString()).isEqualTo("30.00");
    assertThat(created.get("TotalTax").toString()).isEqualTo("4.50");
    assertThat(created.get("Total").toString()).isEqualTo("34.50");
    assertThat(org.contact(acme).isCustomer()).isTrue();

    assertThat(
            ok(send("POST", "/api.xro/2.0/Invoices", status(id, "SUBMITTED")))
                .get("Invoices")
                .get(0)
                .get("Status")
                .asText())
        .isEqualTo("SUBMITTED");
    assertThat(
            ok(send("POST", "/api.xro/2.0/Invoices/" + id, "{\"Status\":\"AUTHORISED\"}"))
                .get("Invoices")
                .get(0)
                .get("Status")
                .asText())
        .isEqualTo("AUTHORISED");

    SimHttp.Resp paid = send("POST", "/api.xro/2.0/Invoices", status(id, "PAID"));
    assertThat(paid.status()).isEqualTo(400);
    assertThat(paid.json().get("Type").asText()).isEqualTo("ValidationException");
    assertThat(
            paid.json()
                .get("Elements")
                .get(0)
                .get("ValidationErrors")
                .get(0)
                .get("Message")
                .asText())
        .isEqualTo(XeroMessages.INVOICE_NOT_MODIFIABLE);
    assertThat(send("POST", "/api.xro/2.0/Invoices", status(id, "DELETED")).status())
        .as("DELETED only from DRAFT/SUBMITTED")
        .isEqualTo(400);

    org.pay(id, BigDecimal.TEN, LocalDate.of(2026, 2, 2), "part");
    SimHttp.Resp voidPaid = send("POST", "/api.xro/2.0/Invoices", status(id, "VOIDED"));
    assertThat(voidPaid.status()).isEqualTo(400);
    assertThat(voidPaid.body()).contains(XeroMessages.HAS_PAYMENT_OR_CREDIT);

    String other =
        ok(send("PUT", "/api.xro/2.0/Invoices", draftJson(null)))
            .get("Invoices")
            .get(0)
            .get("InvoiceID")
            .asText();
    assertThat(
            ok(send("POST", "/api.xro/2.0/Invoices", status(other, "DELETED")))
                .get("Invoices")
                .get(0)
                .get("Status")
                .asText())
        .isEqualTo("DELETED");
    String third =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), BigDecimal.ONE);
    assertThat(
            ok(send("POST", "/api.xro/2.0/Invoices", status(third, "VOIDED")))
                .get("Invoices")
                .get(0)
                .get("AmountDue")
                .toString())
        .isEqualTo("0.00");
  }

  @Test
  void editsReplaceLinesAndHeaderUntilMoneyIsApplied() {
    String id =
        ok(send("PUT", "/api.xro/2.0/Invoices", draftJson("E-1")))
            .get("Invoices")
            .get(0)
            .get("InvoiceID")
            .asText();
    String edit =
        "{\"InvoiceID\":\""
            + id
            + "\",\"Reference\":\"PO 9\",\"DueDate\":\"2026-04-01\",\"LineAmountTypes\":\"Inclusive\","
            + "\"LineItems\":[{\"Description\":\"A\",\"Quantity\":1,\"UnitAmount\":115,\"AccountCode\":\"200\"},"
            + "{\"Description\":\"B\",\"Quantity\":2,\"UnitAmount\":5,\"AccountCode\":\"200\",\"TaxType\":\"NONE\"}]}";
    JsonNode inv = ok(send("POST", "/api.xro/2.0/Invoices", edit)).get("Invoices").get(0);
    assertThat(inv.get("Reference").asText()).isEqualTo("PO 9");
    assertThat(inv.get("DueDateString").asText()).isEqualTo("2026-04-01T00:00:00");
    assertThat(inv.get("LineItems")).hasSize(2);
    assertThat(inv.get("Total").toString()).isEqualTo("125.00");
    assertThat(inv.get("TotalTax").toString()).isEqualTo("15.00");
    assertThat(inv.get("SubTotal").toString()).isEqualTo("110.00");

    ok(send("POST", "/api.xro/2.0/Invoices", status(id, "AUTHORISED")));
    org.pay(id, BigDecimal.ONE, LocalDate.of(2026, 2, 2), "p");
    SimHttp.Resp locked = send("POST", "/api.xro/2.0/Invoices", edit);
    assertThat(locked.status()).isEqualTo(400);
    assertThat(locked.body()).contains(XeroMessages.HAS_PAYMENT_OR_CREDIT);
    assertThat(
            ok(send("POST", "/api.xro/2.0/Invoices/" + id, "{\"Reference\":\"still editable\"}"))
                .get("Invoices")
                .get(0)
                .get("Reference")
                .asText())
        .isEqualTo("still editable");
  }

  @Test
  void summarizeErrorsDefaultFailsWholeBatchFalseSavesTheValidOnes() {
    String batch =
        "{\"Invoices\":["
            + draftJson("A-1")
            + ","
            + draftJson("A-1")
                .replace(acme, "00000000-0000-0000-0000-000000000000")
                .replace("A-1", "A-2")
            + "]}";
    SimHttp.Resp failed = send("PUT", "/api.xro/2.0/Invoices", batch);
    assertThat(failed.status()).isEqualTo(400);
    JsonNode err = failed.json();
    assertThat(err.get("ErrorNumber").asInt()).isEqualTo(10);
    assertThat(err.get("Message").asText()).isEqualTo("A validation exception occurred");
    assertThat(err.get("Elements")).hasSize(1);
    assertThat(err.get("Elements").get(0).get("InvoiceNumber").asText()).isEqualTo("A-2");
    assertThat(err.get("Elements").get(0).get("ValidationErrors").get(0).get("Message").asText())
        .isEqualTo(XeroMessages.CONTACT_REQUIRED);
    assertThat(org.invoices()).as("nothing saved").isEmpty();

    JsonNode partial =
        ok(send("PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", batch)).get("Invoices");
    assertThat(partial.get(0).get("StatusAttributeString").asText()).isEqualTo("OK");
    assertThat(partial.get(1).get("HasErrors").asBoolean()).isTrue();
    assertThat(partial.get(1).get("StatusAttributeString").asText()).isEqualTo("ERROR");
    assertThat(partial.get(1).get("ValidationErrors")).isNotEmpty();
    assertThat(org.invoices()).hasSize(1);
    assertThat(
            send("PUT", "/api.xro/2.0/Invoices", draftJson("A-1"))
                .json()
                .get("Elements")
                .get(0)
                .get("ValidationErrors")
                .get(0)
                .get("Message")
                .asText())
        .isEqualTo(XeroMessages.INVOICE_NUMBER_NOT_UNIQUE);
  }

  @Test
  void idempotencyKeyReplaysTheFirstResponseWithoutSecondEffect() {
    SimHttp.Resp first =
        send("PUT", "/api.xro/2.0/Invoices", draftJson(null), "Idempotency-Key", "key-1");
    SimHttp.Resp again =
        send("PUT", "/api.xro/2.0/Invoices", draftJson(null), "Idempotency-Key", "key-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(org.invoices()).hasSize(1);
    send("PUT", "/api.xro/2.0/Invoices", draftJson(null), "Idempotency-Key", "key-2");
    assertThat(org.invoices()).hasSize(2);
  }

  @Test
  void paymentsDriveAmountsStatusAndFullyPaidOnDateAndReverse() {
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), new BigDecimal("100.00"));
    String pay =
        "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\""
            + id
            + "\"},\"Account\":{\"Code\":\"090\"},\"Date\":\"2026-02-10\",\"Amount\":40.00,\"Reference\":\"first\"}]}";
    JsonNode p1 = ok(send("PUT", "/api.xro/2.0/Payments", pay)).get("Payments").get(0);
    assertThat(p1.get("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(p1.get("PaymentType").asText()).isEqualTo("ACCRECPAYMENT");
    assertThat(p1.get("Invoice").get("InvoiceID").asText()).isEqualTo(id);
    assertThat(org.invoice(id).amountDue()).isEqualByComparingTo("60");

    SimHttp.Resp over = send("PUT", "/api.xro/2.0/Payments", pay.replace("40.00", "60.01"));
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.body()).contains(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    SimHttp.Resp wrongAccount =
        send("PUT", "/api.xro/2.0/Payments", pay.replace("\"Code\":\"090\"", "\"Code\":\"200\""));
    assertThat(wrongAccount.status()).isEqualTo(400);

    clock.advance(Duration.ofMinutes(1));
    String p2 =
        ok(send(
                "PUT",
                "/api.xro/2.0/Payments",
                pay.replace("40.00", "60.00").replace("2026-02-10", "2026-02-20")))
            .get("Payments")
            .get(0)
            .get("PaymentID")
            .asText();
    JsonNode inv = ok(send("GET", "/api.xro/2.0/Invoices/" + id, null)).get("Invoices").get(0);
    assertThat(inv.get("Status").asText()).isEqualTo("PAID");
    assertThat(inv.get("AmountPaid").toString()).isEqualTo("100.00");
    assertThat(inv.get("FullyPaidOnDate").asText()).isEqualTo("/Date(1771545600000+0000)/");

    JsonNode deleted =
        ok(send("POST", "/api.xro/2.0/Payments/" + p2, "{\"Status\":\"DELETED\"}"))
            .get("Payments")
            .get(0);
    assertThat(deleted.get("Status").asText()).isEqualTo("DELETED");
    inv = ok(send("GET", "/api.xro/2.0/Invoices/" + id, null)).get("Invoices").get(0);
    assertThat(inv.get("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(inv.get("AmountDue").toString()).isEqualTo("60.00");
    assertThat(inv.has("FullyPaidOnDate")).isFalse();
    assertThat(inv.get("Payments")).hasSize(1);
    assertThat(send("POST", "/api.xro/2.0/Payments/" + p2, "{\"Status\":\"DELETED\"}").status())
        .isEqualTo(400);

    String draft =
        org.createDraftInvoice(
            acme, "D-1", LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), BigDecimal.TEN, null);
    assertThat(send("PUT", "/api.xro/2.0/Payments", pay.replace(id, draft)).body())
        .contains(XeroMessages.PAYMENT_NOT_AUTHORISED);

    JsonNode all = ok(send("GET", "/api.xro/2.0/Payments?page=1&pageSize=1", null));
    assertThat(all.get("pagination").get("itemCount").asInt()).isEqualTo(2);
    JsonNode recent =
        ok(
            http.get(
                "/api.xro/2.0/Payments",
                token,
                org.tenantId(),
                "If-Modified-Since",
                "2026-03-01T10:00:30"));
    assertThat(recent.get("Payments"))
        .extracting(n -> n.get("PaymentID").asText())
        .containsExactly(p2);
    assertThat(
            ok(send("GET", "/api.xro/2.0/Payments?where=Status%3D%3D%22DELETED%22", null))
                .get("Payments"))
        .hasSize(1);
  }

  @Test
  void creditsAllocateAndAmountCreditedFollows() {
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), new BigDecimal("100.00"));
    String over = org.overpayment(acme, new BigDecimal("25.00"), LocalDate.of(2026, 2, 3));
    String pre = org.prepayment(acme, new BigDecimal("50.00"), LocalDate.of(2026, 2, 4));
    String alloc =
        "{\"Allocations\":[{\"Invoice\":{\"InvoiceID\":\""
            + id
            + "\"},\"Amount\":25.00,\"Date\":\"2026-02-05\"}]}";
    ok(send("PUT", "/api.xro/2.0/Overpayments/" + over + "/Allocations", alloc));
    ok(send("PUT", "/api.xro/2.0/Prepayments/" + pre + "/Allocations", alloc));
    JsonNode inv = ok(send("GET", "/api.xro/2.0/Invoices/" + id, null)).get("Invoices").get(0);
    assertThat(inv.get("AmountCredited").toString()).isEqualTo("50.00");
    assertThat(inv.get("AmountDue").toString()).isEqualTo("50.00");
    assertThat(inv.get("Overpayments").get(0).get("OverpaymentID").asText()).isEqualTo(over);
    assertThat(inv.get("Prepayments").get(0).get("AppliedAmount").toString()).isEqualTo("25.00");
    JsonNode p = ok(send("GET", "/api.xro/2.0/Prepayments/" + pre, null)).get("Prepayments").get(0);
    assertThat(p.get("RemainingCredit").toString()).isEqualTo("25.00");
    assertThat(send("PUT", "/api.xro/2.0/Overpayments/" + over + "/Allocations", alloc).status())
        .as("no credit left")
        .isEqualTo(400);
  }

  @Test
  void contactsListingArchivedPagingAndInvoiceCreatedContacts() {
    String bolt = org.createContact("Bolt");
    org.archiveContact(bolt);
    String put =
        draftJson(null).replace("{\"ContactID\":\"" + acme + "\"}", "{\"Name\":\"New Customer\"}");
    ok(send("PUT", "/api.xro/2.0/Invoices", put));
    JsonNode active = ok(send("GET", "/api.xro/2.0/Contacts", null)).get("Contacts");
    assertThat(active)
        .extracting(n -> n.get("Name").asText())
        .containsExactly("Acme Ltd", "New Customer");
    assertThat(active.get(1).get("IsCustomer").asBoolean()).isTrue();
    assertThat(active.get(1).get("IsSupplier").asBoolean()).isFalse();
    assertThat(ok(send("GET", "/api.xro/2.0/Contacts?includeArchived=true", null)).get("Contacts"))
        .hasSize(3);
    JsonNode byId =
        ok(send("GET", "/api.xro/2.0/Contacts?IDs=" + bolt, null)).get("Contacts").get(0);
    assertThat(byId.get("ContactStatus").asText()).isEqualTo("ARCHIVED");
    JsonNode page = ok(send("GET", "/api.xro/2.0/Contacts?page=2&pageSize=1", null));
    assertThat(page.get("pagination").get("pageCount").asInt()).isEqualTo(2);
    assertThat(page.get("Contacts")).hasSize(1);
    assertThat(ok(send("GET", "/api.xro/2.0/Contacts?searchTerm=acme", null)).get("Contacts"))
        .hasSize(1);
    assertThat(
            ok(send(
                    "GET",
                    "/api.xro/2.0/Contacts?where=Name%3D%3D%22Bolt%22&includeArchived=true",
                    null))
                .get("Contacts"))
        .hasSize(1);
  }

  @Test
  void organisationAndAccounts() {
    JsonNode o = ok(send("GET", "/api.xro/2.0/Organisation", null)).get("Organisations").get(0);
    assertThat(o.get("ShortCode").asText()).isEqualTo(org.shortCode()).matches("![A-Za-z0-9]{5}");
    assertThat(o.get("Timezone").asText()).isEqualTo("NEWZEALANDSTANDARDTIME");
    assertThat(o.get("BaseCurrency").asText()).isEqualTo("NZD");
    assertThat(o.get("OrganisationID").asText()).isEqualTo(org.tenantId());
    org.timezone(ZoneId.of("Australia/Sydney"));
    assertThat(
            ok(send("GET", "/api.xro/2.0/Organisation", null))
                .get("Organisations")
                .get(0)
                .get("Timezone")
                .asText())
        .isEqualTo("AUSEASTERNSTANDARDTIME");
    JsonNode accounts = ok(send("GET", "/api.xro/2.0/Accounts", null)).get("Accounts");
    assertThat(accounts)
        .anySatisfy(
            a -> {
              assertThat(a.get("Code").asText()).isEqualTo("090");
              assertThat(a.get("Type").asText()).isEqualTo("BANK");
            });
  }

  @Test
  void whereSearchTermAndCreatedByMyApp() {
    String mine =
        ok(send(
                "PUT",
                "/api.xro/2.0/Invoices",
                draftJson("MINE-1").replace("\"Date\"", "\"Reference\":\"Blue fish\",\"Date\"")))
            .get("Invoices")
            .get(0)
            .get("InvoiceID")
            .asText();
    String bolt = org.createContact("Bolt");
    String theirs =
        org.createAuthorisedInvoice(
            bolt, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), BigDecimal.TEN);
    assertThat(ids("/api.xro/2.0/Invoices?createdByMyApp=true")).containsExactly(mine);
    assertThat(ids("/api.xro/2.0/Invoices?where=" + enc("Status==\"AUTHORISED\"")))
        .containsExactly(theirs);
    assertThat(
            ids("/api.xro/2.0/Invoices?where=" + enc("Contact.ContactID==guid(\"" + bolt + "\")")))
        .containsExactly(theirs);
    assertThat(ids("/api.xro/2.0/Invoices?where=" + enc("Type==\"ACCREC\" AND Total>20")))
        .containsExactly(mine);
    assertThat(
            ids(
                "/api.xro/2.0/Invoices?where="
                    + enc("Status==\"DRAFT\" OR Status==\"AUTHORISED\"")))
        .hasSize(2);
    assertThat(ids("/api.xro/2.0/Invoices?where=" + enc("Date>=DateTime(2026,02,01)"))).hasSize(2);
    assertThat(ids("/api.xro/2.0/Invoices?searchTerm=blue")).containsExactly(mine);
    assertThat(send("GET", "/api.xro/2.0/Invoices?where=" + enc("Nonsense~~1"), null).status())
        .isEqualTo(400);
  }

  java.util.List<String> ids(String path) {
    java.util.List<String> out = new java.util.ArrayList<>();
    ok(send("GET", path, null)).get("Invoices").forEach(n -> out.add(n.get("InvoiceID").asText()));
    return out;
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
