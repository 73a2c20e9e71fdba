package dev.xerosync.outbox;

import static dev.xerosync.outbox.WritePath.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.common.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a write body must be to become an operation (issue 29 findings 1, 3 and 6, issue 25 finding
 * 6): every field known to its schema, amounts Xero keeps as sent, dates Xero can hold, and
 * addresses that are addresses. Each refusal is a 400 that names the field.
 */
class WriteRequestsTest {
  private static final String LINE =
      "{\"description\":\"Work\",\"quantity\":1,\"unitAmount\":5,\"accountCode\":\"200\"}";

  private static Problem refusal(
      OperationKind kind, String externalId, String parent, String body) {
    return Outbox.checked(
        new Outbox.Write(WritePath.TENANT, kind, externalId, parent, WritePath.json(body), null));
  }

  private static Problem invoiceRefusal(String body) {
    return refusal(OperationKind.INVOICE_UPSERT, "inv-1", null, body);
  }

  private static Problem contactRefusal(String email) {
    return refusal(
        OperationKind.CONTACT_UPSERT, "c-1", null, "{\"name\":\"A\",\"email\":\"" + email + "\"}");
  }

  private static Problem paymentRefusal(String body) {
    return refusal(OperationKind.PAYMENT, "pay-1", "inv-1", body);
  }

  @Test
  void aWellFormedInvoicePaymentAndContactPass() {
    assertThat(invoiceRefusal(invoice("c", "AUTHORISED", 5))).isNull();
    assertThat(paymentRefusal("{\"paymentId\":\"p\",\"amount\":10.5,\"currency\":\"NZD\"}"))
        .isNull();
    assertThat(
            refusal(
                OperationKind.CONTACT_UPSERT,
                "c-1",
                null,
                "{\"name\":\"Ann\",\"email\":\"ann.o'neil+bills@example.co.nz\"}"))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "100000000000", "1.23456"})
  void aUnitAmountXeroCannotKeepIsRefusedNamingIt(String amount) {
    Problem p = invoiceRefusal("{\"lineItems\":[" + LINE.replace("5", amount) + "]}");

    assertThat(p).isNotNull();
    assertThat(p.status()).isEqualTo(400);
    assertThat(p.getMessage()).startsWith("lineItems[0].unitAmount ");
  }

  @Test
  void aUnitAmountOrQuantityWithFourDecimalsIsKept() {
    assertThat(
            invoiceRefusal(
                "{\"lineItems\":["
                    + LINE.replace("\"unitAmount\":5", "\"unitAmount\":1.2345")
                        .replace("\"quantity\":1", "\"quantity\":0.0001")
                    + "]}"))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.001", "1e400", "10000000000000"})
  void aPaymentAmountXeroCannotKeepIsRefusedNamingIt(String amount) {
    Problem p = paymentRefusal("{\"paymentId\":\"p\",\"amount\":" + amount + "}");

    assertThat(p).isNotNull();
    assertThat(p.getMessage()).startsWith("amount ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+99999-01-01", "+10000-01-01", "-0001-01-01", "0000-01-01", "2026-02-30"})
  void aDateXeroCannotHoldIsRefusedOnEveryWrite(String date) {
    assertThat(invoiceRefusal("{\"date\":\"" + date + "\"}").getMessage()).startsWith("date ");
    assertThat(invoiceRefusal("{\"dueDate\":\"" + date + "\"}").getMessage())
        .startsWith("dueDate ");
    assertThat(paymentRefusal("{\"paymentId\":\"p\",\"amount\":1,\"date\":\"" + date + "\"}"))
        .isNotNull();
    assertThat(
            refusal(
                OperationKind.DEPOSIT,
                null,
                null,
                "{\"depositId\":\"d\",\"amount\":1,\"accountCode\":\"200\",\"date\":\""
                    + date
                    + "\"}"))
        .isNotNull();
  }

  @Test
  void aPhoneAndABillingAddressAreTakenWithinXerosLengths() {
    String ok =
        "{\"contact\":{\"externalId\":\"c\",\"phone\":\"+64 4 555 0100\",\"billingAddress\":"
            + "{\"addressLine1\":\"1 Main St\",\"city\":\"Wellington\",\"postalCode\":\"6011\"}}}";
    assertThat(invoiceRefusal(ok)).isNull();
    assertThat(
            invoiceRefusal(
                    "{\"contact\":{\"externalId\":\"c\",\"phone\":\"" + "9".repeat(51) + "\"}}")
                .getMessage())
        .startsWith("contact.phone is longer than 50");
    assertThat(
            invoiceRefusal(
                    "{\"contact\":{\"externalId\":\"c\",\"billingAddress\":{\"postalCode\":\""
                        + "9".repeat(51)
                        + "\"}}}")
                .getMessage())
        .startsWith("contact.billingAddress.postalCode is longer than 50");
  }

  @Test
  void theFirstAndLastDatesXeroHoldsPass() {
    assertThat(invoiceRefusal("{\"date\":\"0001-01-01\",\"dueDate\":\"9999-12-31\"}")).isNull();
  }

  @Test
  void anUnknownFieldIsRefusedNamingItWhereverItIs() {
    assertThat(paymentRefusal("{\"paymentId\":\"p\",\"amount\":1,\"amout\":2}").getMessage())
        .startsWith("amout is not a field");
    assertThat(invoiceRefusal("{\"lineItems\":[" + LINE.replace("}", ",\"price\":5}") + "]}"))
        .extracting(Problem::getMessage)
        .asString()
        .startsWith("lineItems[0].price is not a field");
    assertThat(
            invoiceRefusal("{\"contact\":{\"externalId\":\"c\",\"mobile\":\"021\"}}").getMessage())
        .startsWith("contact.mobile is not a field");
    assertThat(
            invoiceRefusal(
                    "{\"contact\":{\"externalId\":\"c\",\"billingAddress\":{\"street\":\"1\"}}}")
                .getMessage())
        .startsWith("contact.billingAddress.street is not a field");
    assertThat(
            refusal(
                    OperationKind.ACCOUNTING_SETTINGS,
                    "accounting",
                    null,
                    "{\"paymentAccountCode\":\"090\",\"invoiceStatuss\":\"DRAFT\"}")
                .getMessage())
        .startsWith("invoiceStatuss is not a field");
    assertThat(
            refusal(
                    OperationKind.INVOICE_HISTORY,
                    "h",
                    null,
                    "{\"pushId\":\"h\",\"invoices\":[{\"invoiceId\":\"i\",\"colour\":\"red\"}]}")
                .getMessage())
        .startsWith("invoices[0]: colour is not a field");
  }

  @Test
  void aPaymentCurrencyMustBeACurrencyCode() {
    assertThat(paymentRefusal("{\"paymentId\":\"p\",\"amount\":1,\"currency\":\"usd\"}"))
        .extracting(Problem::getMessage)
        .asString()
        .startsWith("currency ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"javascript:alert(1)//@example.com", "not an address", "a@b"})
  void anEmailThatIsNoAddressIsRefused(String email) {
    assertThat(contactRefusal(email).getMessage()).startsWith("email ");
    assertThat(
            invoiceRefusal("{\"contact\":{\"externalId\":\"c\",\"email\":\"" + email + "\"}}")
                .getMessage())
        .startsWith("contact.email ");
  }

  @Test
  void aTenKilobyteEmailIsRefused() {
    String email = "a".repeat(10_000) + "@example.com";

    assertThat(contactRefusal(email).getMessage()).startsWith("email ");
  }

  @Test
  void aNegativeInvoiceIsRefusedButANegativeDiscountLineIsNot() {
    assertThat(invoiceRefusal("{\"total\":-5}").getMessage()).startsWith("total is negative");
    assertThat(
            invoiceRefusal(
                    "{\"lineItems\":["
                        + LINE.replace("\"unitAmount\":5", "\"unitAmount\":-5")
                        + "]}")
                .getMessage())
        .startsWith("lineItems come to a negative total");
    assertThat(
            invoiceRefusal(
                "{\"lineItems\":["
                    + LINE.replace("\"unitAmount\":5", "\"unitAmount\":20")
                    + ","
                    + LINE.replace("\"unitAmount\":5", "\"unitAmount\":-5")
                    + "]}"))
        .isNull();
  }

  @Test
  void aDiscountOutsideZeroToAHundredIsLeftToXerosOwnWords() {
    assertThat(
            invoiceRefusal(
                "{\"lineItems\":["
                    + LINE.replace("\"unitAmount\":5", "\"unitAmount\":5,\"discountRate\":150")
                    + "]}"))
        .isNull();
  }
}
