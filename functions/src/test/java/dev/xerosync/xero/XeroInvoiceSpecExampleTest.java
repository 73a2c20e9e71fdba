package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Xero's own examples from its published spec (kept in xero-spec-examples, see SOURCE.md there)
 * parse with our model, field by field.
 */
class XeroInvoiceSpecExampleTest {
  private static List<XeroInvoice> parse(JsonNode example) {
    List<XeroInvoice> invoices = new ArrayList<>();
    example.path("Invoices").forEach(n -> invoices.add(XeroInvoice.fromJson(n)));
    return invoices;
  }

  @Test
  void invoicesListExampleParses() throws Exception {
    List<XeroInvoice> invoices = parse(XeroSpec.example("/Invoices", "get"));
    assertThat(invoices).hasSizeGreaterThanOrEqualTo(3);

    XeroInvoice voided = invoices.get(0);
    assertThat(voided.invoiceId()).isEqualTo("d4956132-ed94-4dd7-9eaa-aa22dfdf06f2");
    assertThat(voided.invoiceNumber()).isEqualTo("INV-0001");
    assertThat(voided.status()).isEqualTo("VOIDED");
    assertThat(voided.contactId()).isEqualTo("a3675fc4-f8dd-4f03-ba5b-f1870566bcd7");
    assertThat(voided.date()).isEqualTo(LocalDate.of(2018, 10, 20));
    assertThat(voided.dueDate()).isEqualTo(LocalDate.of(2018, 12, 30));
    assertThat(voided.total()).isEqualByComparingTo("40.00");
    assertThat(voided.currencyCode()).isEqualTo("NZD");
    assertThat(voided.updatedDateUtc()).isEqualTo(Instant.ofEpochMilli(1541176290160L));

    XeroInvoice paid = invoices.get(1);
    assertThat(paid.status()).isEqualTo("PAID");
    assertThat(paid.amountPaid()).isEqualByComparingTo("46.00");
    assertThat(paid.amountDue()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(paid.fullyPaidOnDate()).isEqualTo(LocalDate.of(2018, 11, 29));
    assertThat(paid.payments())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.paymentId()).isEqualTo("99ea7f6b-c513-4066-bc27-b7c65dcd76c2");
              assertThat(p.amount()).isEqualByComparingTo("46.00");
              assertThat(p.date()).isEqualTo(LocalDate.of(2018, 11, 29));
            });

    XeroInvoice open = invoices.get(2);
    assertThat(open.amountDue()).isEqualByComparingTo("115.00");
  }

  @Test
  void singleInvoiceExampleParses() throws Exception {
    List<XeroInvoice> invoices = parse(XeroSpec.example("/Invoices/{InvoiceID}", "get"));
    assertThat(invoices).isNotEmpty();
    assertThat(invoices)
        .allSatisfy(
            inv -> {
              assertThat(inv.invoiceId()).isNotBlank();
              assertThat(inv.updatedDateUtc()).isNotNull();
            });
  }
}
