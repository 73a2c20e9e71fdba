package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Our invoice body in Xero's words. The lines' fingerprint is stored with each invoice link, so a
 * change to the mapping (a field renamed or reordered) must not change it for the same lines, or
 * every resend after a deploy would count as an edit.
 */
class XeroInvoiceElementTest {
  private static final String BODY =
      """
      {"date":"2026-03-01","dueDate":"2026-03-31","reference":"PO-7","currency":"NZD",
       "lineAmountTypes":"Exclusive","subTotal":110,"totalTax":16.5,"total":126.5,
       "lineItems":[{"itemCode":"W","taxType":"OUTPUT2","accountCode":"200","discountRate":null,
         "unitAmount":50,"quantity":2,"description":"Work"}],
       "shipping":{"amount":10,"taxType":"OUTPUT2","accountCode":"210"},
       "status":"ignored","unknown":"ignored"}
      """;

  @Test
  void aCreateNamesTheInvoiceByOurIdAndRenamesEveryFieldInXerosOrder() {
    var element =
        XeroInvoiceElement.of(WritePath.json(BODY), "inv-1", "c-1", "AUTHORISED", true, null);

    assertThat(element.toString())
        .isEqualTo(
            "{\"Type\":\"ACCREC\",\"InvoiceNumber\":\"inv-1\",\"Contact\":{\"ContactID\":\"c-1\"},"
                + "\"Date\":\"2026-03-01\",\"DueDate\":\"2026-03-31\",\"Reference\":\"PO-7\","
                + "\"CurrencyCode\":\"NZD\",\"LineAmountTypes\":\"Exclusive\",\"SubTotal\":110,"
                + "\"TotalTax\":16.5,\"Total\":126.5,\"LineItems\":["
                + "{\"Description\":\"Work\",\"Quantity\":2,\"UnitAmount\":50,"
                + "\"AccountCode\":\"200\",\"TaxType\":\"OUTPUT2\",\"ItemCode\":\"W\"},"
                + "{\"Description\":\"Shipping and handling\",\"Quantity\":1,\"UnitAmount\":10,"
                + "\"AccountCode\":\"210\",\"TaxType\":\"OUTPUT2\"}],\"Status\":\"AUTHORISED\"}");
  }

  @Test
  void anUpdateNamesXerosInvoiceAndLeavesOutWhatItWasNotGiven() {
    var element =
        XeroInvoiceElement.of(
            WritePath.json("{\"reference\":\"PO-8\"}"), "inv-1", null, null, false, "x-9");

    assertThat(element.toString()).isEqualTo("{\"InvoiceID\":\"x-9\",\"Reference\":\"PO-8\"}");
  }

  @Test
  void theLinesFingerprintStaysWhatLinksAlreadyStore() {
    assertThat(XeroInvoiceElement.linesFingerprint(WritePath.json(BODY))).isEqualTo("8287753e");
    assertThat(XeroInvoiceElement.linesFingerprint(WritePath.json("{}"))).isEqualTo("b62");
  }
}
