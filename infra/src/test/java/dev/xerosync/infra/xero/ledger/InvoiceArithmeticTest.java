package dev.xerosync.infra.xero.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.xero.ledger.InvoiceArithmetic.Totals;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Xero's document arithmetic, without a ledger: line amounts, tax rounding, totals, due. */
class InvoiceArithmeticTest {
  static final BigDecimal GST = new BigDecimal("0.15");

  static NewInvoice.Line line(String qty, String unit, String discount) {
    return new NewInvoice.Line(
        "x",
        qty == null ? null : new BigDecimal(qty),
        new BigDecimal(unit),
        "200",
        null,
        null,
        discount == null ? null : new BigDecimal(discount),
        null);
  }

  static LineItem computed(NewInvoice.Line l, String lat) {
    return InvoiceArithmetic.line(l, "OUTPUT2", GST, lat);
  }

  @Test
  void eachLineTaxIsRoundedBeforeTheTaxesAreSummed() {
    // 0.10 at 15% is 0.015 of tax: 0.02 per line, so 0.06 for three (rounding the sum, 0.045,
    // would give 0.05).
    List<LineItem> lines =
        List.of(
            computed(line("1", "0.10", null), "Exclusive"),
            computed(line("1", "0.10", null), "Exclusive"),
            computed(line("1", "0.10", null), "Exclusive"));

    Totals t = InvoiceArithmetic.totals(lines, "Exclusive");

    assertThat(lines.get(0).taxAmount()).isEqualByComparingTo("0.02");
    assertThat(t.subTotal()).isEqualTo(new BigDecimal("0.30"));
    assertThat(t.tax()).isEqualTo(new BigDecimal("0.06"));
    assertThat(t.total()).isEqualTo(new BigDecimal("0.36"));
  }

  @Test
  void inclusiveAmountsHaveTheirTaxTakenOut() {
    LineItem l = computed(line("1", "10.00", null), "Inclusive");

    Totals t = InvoiceArithmetic.totals(List.of(l), "Inclusive");

    // 10.00 x 0.15 / 1.15 = 1.3043...
    assertThat(l.taxAmount()).isEqualTo(new BigDecimal("1.30"));
    assertThat(l.lineAmount()).isEqualTo(new BigDecimal("10.00"));
    assertThat(t.subTotal()).isEqualTo(new BigDecimal("8.70"));
    assertThat(t.total()).isEqualTo(new BigDecimal("10.00"));
  }

  @Test
  void discountComesOffBeforeRoundingAndNoTaxLinesCarryNone() {
    // 3 x 9.99 = 29.97, less 10% = 26.973, rounded half up to 26.97.
    LineItem l = computed(line("3", "9.99", "10"), "NoTax");

    assertThat(l.lineAmount()).isEqualTo(new BigDecimal("26.97"));
    assertThat(l.taxAmount()).isEqualTo(new BigDecimal("0.00"));
    assertThat(l.quantity()).isEqualByComparingTo("3");
  }

  @Test
  void quantityDefaultsToOneAndHalfCentsRoundUp() {
    LineItem l = computed(line(null, "0.005", null), "Exclusive");

    assertThat(l.quantity()).isEqualTo(BigDecimal.ONE);
    assertThat(l.lineAmount()).isEqualTo(new BigDecimal("0.01"));
  }

  static NewInvoice sent(String subTotal, String tax, String total) {
    return new NewInvoice(
        "ACCREC",
        "c",
        null,
        null,
        null,
        null,
        "Exclusive",
        List.of(),
        null,
        null,
        null,
        null,
        subTotal == null ? null : new BigDecimal(subTotal),
        tax == null ? null : new BigDecimal(tax),
        total == null ? null : new BigDecimal(total));
  }

  @Test
  void aSentTotalWithinTenCentsIsKeptAndOneBeyondIsRefused() {
    List<LineItem> lines = List.of(computed(line("1", "100.00", null), "Exclusive"));
    Totals t = InvoiceArithmetic.totals(lines, "Exclusive");

    assertThat(InvoiceArithmetic.checkSentTotals(sent("100", "15", "115.10"), lines, "Exclusive"))
        .isEmpty();
    assertThat(InvoiceArithmetic.keptTotal(sent("100", "15", "115.10"), t))
        .isEqualTo(new BigDecimal("115.10"));
    assertThat(InvoiceArithmetic.checkSentTotals(sent("100", "15", "115.11"), lines, "Exclusive"))
        .containsExactly(XeroMessages.totalMismatch("Total"));
  }

  @Test
  void sentTotalsCountOnlyWhenAllThreeAreSent() {
    List<LineItem> lines = List.of(computed(line("1", "100.00", null), "Exclusive"));
    Totals t = InvoiceArithmetic.totals(lines, "Exclusive");

    assertThat(InvoiceArithmetic.checkSentTotals(sent(null, "15", "999"), lines, "Exclusive"))
        .isEmpty();
    assertThat(InvoiceArithmetic.keptTotal(sent(null, "15", "999"), t))
        .isEqualTo(new BigDecimal("115.00"));
  }

  static Invoice invoice(String status, String total) {
    return new Invoice(
        "i",
        "ACCREC",
        "c",
        "INV-1",
        "",
        LocalDate.of(2026, 3, 1),
        LocalDate.of(2026, 3, 31),
        "Exclusive",
        List.of(),
        "NZD",
        BigDecimal.ONE,
        status,
        new BigDecimal(total),
        BigDecimal.ZERO,
        new BigDecimal(total),
        null,
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        false);
  }

  @Test
  void dueIsTotalLessPaidAndCreditedAndNothingOnAVoidedInvoice() {
    BigDecimal paid = new BigDecimal("40.00"), credited = new BigDecimal("10.50");

    assertThat(InvoiceArithmetic.amountDue(invoice(Invoice.AUTHORISED, "115.00"), paid, credited))
        .isEqualByComparingTo("64.50");
    assertThat(InvoiceArithmetic.amountDue(invoice(Invoice.VOIDED, "115.00"), paid, credited))
        .isEqualByComparingTo("0");
    assertThat(InvoiceArithmetic.amountDue(invoice(Invoice.DELETED, "115.00"), paid, credited))
        .isEqualByComparingTo("0");
  }
}
