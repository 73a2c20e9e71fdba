package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The organisation's reference data (accounts, tax rates, currencies, lock dates) and the rules
 * Xero applies with it to invoices and payments, each refusal in Xero's words.
 */
class XeroSimulatorWriteRulesIntegrationTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;
  String acme;

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app("app", "s").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Rules Org");
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

  JsonNode ok(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static List<String> messages(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    r.json().at("/Elements/0/ValidationErrors").forEach(m -> out.add(m.get("Message").asText()));
    return out;
  }

  static String line(String account, String tax, String qty, String unit, String extra) {
    return "{\"Description\":\"L\",\"Quantity\":"
        + qty
        + ",\"UnitAmount\":"
        + unit
        + (account == null ? "" : ",\"AccountCode\":\"" + account + "\"")
        + (tax == null ? "" : ",\"TaxType\":\"" + tax + "\"")
        + extra
        + "}";
  }

  String invoice(String type, String header, String... lines) {
    return "{\"Invoices\":[{\"Type\":\""
        + type
        + "\",\"Contact\":{\"ContactID\":\""
        + acme
        + "\"},\"Date\":\"2026-02-01\",\"DueDate\":\"2026-03-01\""
        + header
        + ",\"LineItems\":["
        + String.join(",", lines)
        + "]}]}";
  }

  SimHttp.Resp put(String body) {
    return send("PUT", "/api.xro/2.0/Invoices", body);
  }

  JsonNode created(String body) {
    return ok(put(body)).get("Invoices").get(0);
  }

  @Test
  void aRealisticChartWithBankClearingAndArchivedAccounts() {
    JsonNode accounts = ok(send("GET", "/api.xro/2.0/Accounts", null)).get("Accounts");
    assertThat(accounts).hasSizeGreaterThan(15);
    JsonNode bank = find(accounts, "Code", "090");
    assertThat(bank.get("Type").asText()).isEqualTo("BANK");
    assertThat(bank.get("CurrencyCode").asText()).isEqualTo("NZD");
    JsonNode undeposited = find(accounts, "Name", "Undeposited Funds");
    assertThat(undeposited.get("Type").asText()).isEqualTo("CURRENT");
    assertThat(undeposited.get("Class").asText()).isEqualTo("ASSET");
    assertThat(undeposited.get("EnablePaymentsToAccount").asBoolean()).isTrue();
    assertThat(find(accounts, "Code", "205").get("Status").asText()).isEqualTo("ARCHIVED");
    assertThat(find(accounts, "Code", "610").get("SystemAccount").asText()).isEqualTo("DEBTORS");

    JsonNode rates = ok(send("GET", "/api.xro/2.0/TaxRates", null)).get("TaxRates");
    JsonNode output = find(rates, "TaxType", "OUTPUT2");
    assertThat(output.get("CanApplyToRevenue").asBoolean()).isTrue();
    assertThat(output.get("CanApplyToExpenses").asBoolean()).isFalse();
    assertThat(output.at("/TaxComponents/0/Rate").decimalValue()).isEqualByComparingTo("15");
    assertThat(find(rates, "TaxType", "INPUT2").get("CanApplyToRevenue").asBoolean()).isFalse();

    assertThat(ok(send("GET", "/api.xro/2.0/Currencies", null)).get("Currencies"))
        .extracting(c -> c.get("Code").asText())
        .containsExactly("NZD");
    org.subscribeCurrency("USD");
    assertThat(ok(send("GET", "/api.xro/2.0/Currencies", null)).get("Currencies"))
        .extracting(c -> c.get("Code").asText())
        .containsExactly("NZD", "USD");

    org.lockDates(LocalDate.of(2026, 1, 31), LocalDate.of(2025, 3, 31));
    JsonNode o = ok(send("GET", "/api.xro/2.0/Organisation", null)).at("/Organisations/0");
    assertThat(o.get("PeriodLockDate").asText()).isEqualTo("/Date(1769817600000+0000)/");
    assertThat(o.get("EndOfYearLockDate").asText()).isEqualTo("/Date(1743379200000+0000)/");
  }

  static JsonNode find(JsonNode arr, String field, String value) {
    for (JsonNode n : arr) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + arr);
  }

  @Test
  void accountsAndTaxRatesAreCheckedPerLine() {
    assertThat(messages(put(invoice("ACCREC", "", line("999", null, "1", "10", "")))))
        .containsExactly(XeroMessages.accountCodeNotValid("999"));
    assertThat(messages(put(invoice("ACCREC", "", line("090", null, "1", "10", "")))))
        .containsExactly(XeroMessages.accountCodeNotValid("090"));
    assertThat(messages(put(invoice("ACCREC", "", line("205", null, "1", "10", "")))))
        .containsExactly(XeroMessages.ACCOUNT_MUST_BE_VALID);
    assertThat(messages(put(invoice("ACCREC", "", line("200", "TAX001", "1", "10", "")))))
        .containsExactly(XeroMessages.TAX_RATE_MUST_BE_VALID);
    assertThat(messages(put(invoice("ACCREC", "", line("200", "INPUT2", "1", "10", "")))))
        .containsExactly(XeroMessages.taxTypeNotForAccount("INPUT2", "200"));
    assertThat(messages(put(invoice("ACCREC", "", line("200", "GST", "1", "10", "")))))
        .containsExactly(XeroMessages.taxTypeDoesNotExist("GST"));
    assertThat(org.invoices()).isEmpty();
  }

  @Test
  void currenciesMustBeSubscribedAndCarryARate() {
    assertThat(
            messages(
                put(
                    invoice(
                        "ACCREC", ",\"CurrencyCode\":\"GBP\"", line("200", null, "1", "10", "")))))
        .containsExactly(XeroMessages.currencyNotSubscribed("GBP"));
    org.subscribeCurrency("USD");
    JsonNode dayRate =
        created(invoice("ACCREC", ",\"CurrencyCode\":\"USD\"", line("200", null, "1", "10", "")));
    assertThat(dayRate.get("CurrencyCode").asText()).isEqualTo("USD");
    assertThat(dayRate.get("CurrencyRate").decimalValue()).isEqualByComparingTo("0.6");
    JsonNode given =
        created(
            invoice(
                "ACCREC",
                ",\"CurrencyCode\":\"USD\",\"CurrencyRate\":0.5123",
                line("200", null, "1", "10", "")));
    assertThat(given.get("CurrencyRate").decimalValue()).isEqualByComparingTo("0.5123");
  }

  @Test
  void lockDatesRefuseDocumentsDatedOnOrBeforeThem() {
    String id =
        created(invoice("ACCREC", ",\"Status\":\"AUTHORISED\"", line("200", null, "1", "100", "")))
            .get("InvoiceID")
            .asText();
    org.lockDates(LocalDate.of(2026, 2, 1), null);
    assertThat(messages(put(invoice("ACCREC", "", line("200", null, "1", "10", "")))))
        .containsExactly(XeroMessages.beforePeriodLockDate(LocalDate.of(2026, 2, 1)));
    org.lockDates(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 15));
    assertThat(messages(put(invoice("ACCREC", "", line("200", null, "1", "10", "")))))
        .containsExactly(XeroMessages.beforeEndOfYearLockDate(LocalDate.of(2026, 2, 15)));
    assertThat(XeroMessages.beforeEndOfYearLockDate(LocalDate.of(2026, 2, 15)))
        .endsWith("currently set at 15-Feb-2026");
    assertThat(messages(send("POST", "/api.xro/2.0/Invoices/" + id, "{\"Reference\":\"late\"}")))
        .containsExactly(XeroMessages.beforeEndOfYearLockDate(LocalDate.of(2026, 2, 15)));
    assertThat(
            messages(
                send("PUT", "/api.xro/2.0/Payments", payment(id, "090", "10.00", "2026-02-10"))))
        .containsExactly(XeroMessages.beforeEndOfYearLockDate(LocalDate.of(2026, 2, 15)));
    ok(send("PUT", "/api.xro/2.0/Payments", payment(id, "090", "10.00", "2026-02-16")));
  }

  static String payment(String invoiceId, String accountCode, String amount, String date) {
    return "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\""
        + invoiceId
        + "\"},\"Account\":{\"Code\":\""
        + accountCode
        + "\"},\"Date\":\""
        + date
        + "\",\"Amount\":"
        + amount
        + ",\"Reference\":\"R\"}]}";
  }

  @Test
  void discountsOnSalesOnlyWithinTheLine() {
    JsonNode inv =
        created(invoice("ACCREC", "", line("200", null, "3", "10", ",\"DiscountRate\":10")));
    assertThat(inv.at("/LineItems/0/LineAmount").decimalValue()).isEqualByComparingTo("27.00");
    assertThat(inv.at("/LineItems/0/DiscountRate").decimalValue()).isEqualByComparingTo("10");
    assertThat(inv.get("TotalTax").toString()).isEqualTo("4.05");
    assertThat(inv.get("IsDiscounted").asBoolean()).isTrue();
    assertThat(
            messages(
                put(invoice("ACCREC", "", line("200", null, "1", "10", ",\"DiscountRate\":150")))))
        .containsExactly(XeroMessages.DISCOUNT_TOO_LARGE);
    assertThat(
            messages(
                put(invoice("ACCPAY", "", line("400", null, "1", "10", ",\"DiscountRate\":5")))))
        .containsExactly(XeroMessages.DISCOUNT_SALES_ONLY);
  }

  @Test
  void taxIsRoundedPerLineBeforeSummingInEachLineAmountType() {
    String l = line("200", null, "1", "1.03", "");
    JsonNode exclusive = created(invoice("ACCREC", "", l, l, l));
    // Per line 0.1545 -> 0.15, summed 0.45; on the whole 3.09 x 15% would be 0.46.
    assertThat(exclusive.get("TotalTax").toString()).isEqualTo("0.45");
    assertThat(exclusive.get("Total").toString()).isEqualTo("3.54");
    JsonNode inclusive =
        created(
            invoice(
                "ACCREC", ",\"LineAmountTypes\":\"Inclusive\"", line("200", null, "1", "115", "")));
    assertThat(inclusive.get("TotalTax").toString()).isEqualTo("15.00");
    assertThat(inclusive.get("SubTotal").toString()).isEqualTo("100.00");
    JsonNode noTax =
        created(
            invoice("ACCREC", ",\"LineAmountTypes\":\"NoTax\"", line("200", null, "1", "115", "")));
    assertThat(noTax.get("TotalTax").toString()).isEqualTo("0.00");
    assertThat(noTax.get("Total").toString()).isEqualTo("115.00");
  }

  @Test
  void sentTotalsWithinTenCentsAreHonouredAsRounding() {
    String l = line("200", null, "1", "1.03", "");
    JsonNode rounded =
        created(invoice("ACCREC", ",\"SubTotal\":3.09,\"TotalTax\":0.45,\"Total\":3.50", l, l, l));
    assertThat(rounded.get("Total").toString()).isEqualTo("3.50");
    assertThat(
            messages(
                put(
                    invoice(
                        "ACCREC", ",\"SubTotal\":3.09,\"TotalTax\":0.45,\"Total\":3.70", l, l, l))))
        .containsExactly(XeroMessages.totalMismatch("Total"));
  }

  @Test
  void lineItemIdsUpdateTheirLineAndLinesLeftOutAreDeleted() {
    JsonNode inv =
        created(
            invoice(
                "ACCREC",
                "",
                line("200", null, "1", "10", ",\"ItemCode\":\"WIDGET\""),
                line("200", null, "2", "5", "")));
    String id = inv.get("InvoiceID").asText();
    String first = inv.at("/LineItems/0/LineItemID").asText();
    JsonNode edited =
        ok(send(
                "POST",
                "/api.xro/2.0/Invoices/" + id,
                "{\"LineItems\":[{\"LineItemID\":\""
                    + first
                    + "\",\"Quantity\":4},"
                    + line("260", null, "1", "1", "")
                    + "]}"))
            .get("Invoices")
            .get(0);
    JsonNode lines = edited.get("LineItems");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("LineItemID").asText()).isEqualTo(first);
    assertThat(lines.get(0).get("ItemCode").asText()).isEqualTo("WIDGET");
    assertThat(lines.get(0).get("LineAmount").decimalValue()).isEqualByComparingTo("40");
    assertThat(lines.get(1).get("AccountCode").asText()).isEqualTo("260");
    assertThat(edited.get("SubTotal").toString()).isEqualTo("41.00");
  }

  @Test
  void paymentsOnlyOnAuthorisedDocumentsIntoPaymentAccounts() {
    String draft =
        created(invoice("ACCREC", "", line("200", null, "1", "100", ""))).get("InvoiceID").asText();
    assertThat(
            messages(
                send("PUT", "/api.xro/2.0/Payments", payment(draft, "090", "1.00", "2026-02-10"))))
        .containsExactly(XeroMessages.PAYMENT_NOT_AUTHORISED);
    String id =
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), new BigDecimal("100.00"));
    assertThat(
            messages(
                send("PUT", "/api.xro/2.0/Payments", payment(id, "200", "1.00", "2026-02-10"))))
        .containsExactly(XeroMessages.PAYMENT_ACCOUNT_TYPE);
    assertThat(
            messages(
                send("PUT", "/api.xro/2.0/Payments", payment(id, "090", "100.01", "2026-02-10"))))
        .containsExactly(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    JsonNode p =
        ok(send("PUT", "/api.xro/2.0/Payments", payment(id, "615", "60.00", "2026-02-10")))
            .at("/Payments/0");
    assertThat(p.at("/Account/Code").asText()).isEqualTo("615");
    assertThat(p.get("Reference").asText()).isEqualTo("R");
    assertThat(
            messages(
                send(
                    "POST",
                    "/api.xro/2.0/Invoices/" + id,
                    "{\"LineItems\":[" + line("200", null, "1", "5", "") + "]}")))
        .containsExactly(XeroMessages.INVOICE_NOT_MODIFIABLE, XeroMessages.HAS_PAYMENT_OR_CREDIT);
  }

  @Test
  void batchesOfAtMostFiftyElementsAndThreeAndAHalfMegabytes() {
    String one = invoice("ACCREC", "", line("200", null, "1", "10", ""));
    String element = one.substring("{\"Invoices\":[".length(), one.length() - 2);
    String fifty =
        "{\"Invoices\":[" + String.join(",", java.util.Collections.nCopies(50, element)) + "]}";
    assertThat(ok(put(fifty)).get("Invoices")).hasSize(50);
    String fiftyOne = fifty.replace("]}]}", "]}," + element + "]}");
    assertThat(messages(put(fiftyOne))).containsExactly(XeroMessages.tooManyElements(50));
    assertThat(org.invoices()).hasSize(50);
    String huge = one.replace("\"L\"", "\"" + "x".repeat(3_600_000) + "\"");
    assertThat(put(huge).status()).isEqualTo(413);
  }

  @Test
  void summarizeErrorsFalseReportsEveryElement() {
    String good = line("200", null, "1", "10", "");
    String body =
        "{\"Invoices\":["
            + invoice("ACCREC", "", good).substring(13, invoice("ACCREC", "", good).length() - 2)
            + ","
            + invoice("ACCREC", "", line("999", null, "1", "10", ""))
                .substring(13, invoice("ACCREC", "", line("999", null, "1", "10", "")).length() - 2)
            + "]}";
    SimHttp.Resp all = put(body);
    assertThat(messages(all)).containsExactly(XeroMessages.accountCodeNotValid("999"));
    assertThat(org.invoices()).as("one bad element fails the whole request").isEmpty();
    JsonNode each =
        ok(send("PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", body)).get("Invoices");
    assertThat(each.get(0).get("StatusAttributeString").asText()).isEqualTo("OK");
    assertThat(each.get(0).get("ValidationErrors")).isEmpty();
    assertThat(each.get(0).get("Warnings")).isEmpty();
    assertThat(each.get(1).get("StatusAttributeString").asText()).isEqualTo("ERROR");
    assertThat(each.get(1).at("/ValidationErrors/0/Message").asText())
        .isEqualTo(XeroMessages.accountCodeNotValid("999"));
    assertThat(org.invoices()).hasSize(1);
  }
}
