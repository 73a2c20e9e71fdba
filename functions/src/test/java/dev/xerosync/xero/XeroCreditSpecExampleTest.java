package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Xero's published examples of credit notes, overpayments and payments of credit notes parse the
 * right way: a credit-note payment names a credit note, never an invoice.
 */
class XeroCreditSpecExampleTest {
  @Test
  void aCreditNotePaymentInGetPaymentsNamesTheCreditNoteNotAnInvoice() throws Exception {
    List<PaymentTarget> targets = new ArrayList<>();
    for (JsonNode p : XeroSpec.example("/Payments", "get").path("Payments")) {
      targets.add(PaymentTarget.of(p));
    }
    assertThat(targets)
        .containsExactly(
            new PaymentTarget(null, "046d8a6d-1ae1-4b4d-9340-5601bdf41b87"),
            new PaymentTarget(
                XeroAllocation.Kind.CREDIT_NOTE, "249f15fa-f2a7-4acc-8769-0984103f2225"));
    assertThat(targets.get(0).isInvoice()).isTrue();
    assertThat(targets.get(1).isInvoice()).as("ARCREDITPAYMENT of an ACCRECCREDIT").isFalse();
  }

  @Test
  void paymentsOfEveryKindOfCreditAreToldApart() throws Exception {
    String[][] cases = {
      {"ACCPAYPAYMENT", "ACCPAY", null},
      {"APCREDITPAYMENT", "ACCPAYCREDIT", "CREDIT_NOTE"},
      {"AROVERPAYMENTPAYMENT", "AROVERPAYMENT", "OVERPAYMENT"},
      {"APOVERPAYMENTPAYMENT", "APOVERPAYMENT", "OVERPAYMENT"},
      {"ARPREPAYMENTPAYMENT", "ARPREPAYMENT", "PREPAYMENT"},
      {"APPREPAYMENTPAYMENT", "APPREPAYMENT", "PREPAYMENT"},
    };
    for (String[] c : cases) {
      JsonNode p =
          Json.MAPPER.readTree(
              "{\"PaymentType\":\""
                  + c[0]
                  + "\",\"Invoice\":{\"Type\":\""
                  + c[1]
                  + "\",\"InvoiceID\":\"11111111-1111-1111-1111-111111111111\"}}");
      PaymentTarget t = PaymentTarget.of(p);
      assertThat(t.creditKind() == null ? null : t.creditKind().name()).as(c[0]).isEqualTo(c[2]);
    }
    JsonNode unknown =
        Json.MAPPER.readTree(
            "{\"Invoice\":{\"Type\":\"SOMETHINGNEW\",\"InvoiceID\":\"11111111-1111-1111-1111-111111111111\"}}");
    assertThat(PaymentTarget.of(unknown)).as("never guessed to be an invoice").isNull();
  }

  @Test
  void creditNotesExampleParses() throws Exception {
    JsonNode n = XeroSpec.example("/CreditNotes", "get").path("CreditNotes").path(0);
    XeroCredit c = XeroCredit.fromJson(XeroAllocation.Kind.CREDIT_NOTE, n);
    assertThat(c.creditId()).isEqualTo("249f15fa-f2a7-4acc-8769-0984103f2225");
    assertThat(c.number()).isEqualTo("CN-0005");
    assertThat(c.type()).isEqualTo("ACCRECCREDIT");
    assertThat(c.status()).isEqualTo("AUTHORISED");
    assertThat(c.contactId()).isEqualTo("430fa14a-f945-44d3-9f97-5df5e28441b8");
    assertThat(c.date()).isEqualTo(LocalDate.of(2019, 3, 5));
    assertThat(c.total()).isEqualByComparingTo("34.50");
    assertThat(c.remainingCredit()).isEqualByComparingTo("32.50");
    assertThat(c.allocations()).isEmpty();
  }

  @Test
  void overpaymentAllocationsNameTheInvoicesTheyApplyTo() throws Exception {
    JsonNode n =
        XeroSpec.example("/Overpayments/{OverpaymentID}", "get").path("Overpayments").path(0);
    XeroCredit c = XeroCredit.fromJson(XeroAllocation.Kind.OVERPAYMENT, n);
    assertThat(c.creditId()).isEqualTo("ed7f6041-c915-4667-bd1d-54c48e92161e");
    assertThat(c.number()).isNull();
    assertThat(c.invoiceIds()).containsExactly("c45720a1-ade3-4a38-a064-d15489be6841");
    assertThat(c.allocations().getFirst().amount()).isEqualByComparingTo("1.00");
    assertThat(c.allocations().getFirst().date())
        .isEqualTo(
            LocalDate.ofInstant(Instant.ofEpochMilli(1552348800000L), java.time.ZoneOffset.UTC));
  }
}
