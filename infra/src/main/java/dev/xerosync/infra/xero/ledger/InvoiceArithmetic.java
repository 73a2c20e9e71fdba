package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.UUID;

/**
 * Xero's document arithmetic: a line's amount after discount and its own tax, a document's totals,
 * the rounding tolerance on sent totals, and what is still due. Pure: no ledger state.
 */
final class InvoiceArithmetic {
  /** Most a sent Total may differ from the computed one and still be honoured as rounding. */
  static final BigDecimal MAX_ROUNDING = new BigDecimal("0.10");

  private static final BigDecimal HUNDRED = new BigDecimal(100);

  private InvoiceArithmetic() {}

  /** A document's SubTotal, TotalTax and Total. */
  record Totals(BigDecimal subTotal, BigDecimal tax, BigDecimal total) {}

  static BigDecimal scale(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * One computed line: Quantity (default 1) x UnitAmount (default 0), less DiscountRate percent,
   * rounded to 2 dp; its tax at {@code rate} (a fraction) taken out of the amount when Inclusive,
   * added on when Exclusive, none when NoTax, each rounded to 2 dp.
   */
  static LineItem line(NewInvoice.Line l, String taxType, BigDecimal rate, String lat) {
    BigDecimal qty = l.quantity() == null ? BigDecimal.ONE : l.quantity();
    BigDecimal unit = l.unitAmount() == null ? BigDecimal.ZERO : l.unitAmount();
    BigDecimal gross = qty.multiply(unit);
    BigDecimal discount = l.discountRate();
    if (discount != null && discount.signum() != 0) {
      gross = gross.multiply(HUNDRED.subtract(discount)).movePointLeft(2);
    }
    BigDecimal amount = scale(gross);
    BigDecimal tax =
        switch (lat) {
          case "Inclusive" ->
              scale(
                  amount.multiply(rate).divide(BigDecimal.ONE.add(rate), 10, RoundingMode.HALF_UP));
          case "NoTax" -> BigDecimal.ZERO.setScale(2);
          default -> scale(amount.multiply(rate));
        };
    return new LineItem(
        l.lineItemId() == null ? UUID.randomUUID().toString() : l.lineItemId(),
        l.description() == null ? "" : l.description(),
        qty,
        unit,
        l.accountCode(),
        taxType,
        tax,
        amount,
        discount,
        l.itemCode());
  }

  /** Xero's arithmetic: each line's tax rounded to 2 dp, then summed. */
  static Totals totals(List<LineItem> lines, String lat) {
    BigDecimal tax =
        scale(lines.stream().map(LineItem::taxAmount).reduce(BigDecimal.ZERO, BigDecimal::add));
    BigDecimal sum =
        lines.stream().map(LineItem::lineAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal subTotal = scale("Inclusive".equals(lat) ? sum.subtract(tax) : sum);
    return new Totals(subTotal, tax, subTotal.add(tax));
  }

  private static boolean sentAllTotals(NewInvoice spec) {
    return spec.sentSubTotal() != null && spec.sentTotalTax() != null && spec.sentTotal() != null;
  }

  /**
   * When SubTotal, TotalTax and Total are all sent, Xero keeps the sent Total if it is within 0.10
   * of its own (the difference is a rounding adjustment). Beyond that the document is refused:
   * wording unsourced.
   */
  static List<String> checkSentTotals(NewInvoice spec, List<LineItem> lines, String lat) {
    if (!sentAllTotals(spec)) {
      return List.of();
    }
    Totals t = totals(lines, lat);
    if (spec.sentTotal().subtract(t.total()).abs().compareTo(MAX_ROUNDING) > 0) {
      return List.of(XeroMessages.totalMismatch("Total"));
    }
    return List.of();
  }

  /**
   * The Total a new document keeps: the sent one when all three totals were sent (honoured within
   * MAX_ROUNDING, checked before: the difference is Xero's rounding adjustment), else its own.
   */
  static BigDecimal keptTotal(NewInvoice spec, Totals computed) {
    return sentAllTotals(spec) ? scale(spec.sentTotal()) : computed.total();
  }

  /** Total less what was paid and credited; nothing is due on a voided or deleted invoice. */
  static BigDecimal amountDue(Invoice inv, BigDecimal paid, BigDecimal credited) {
    if (Invoice.VOIDED.equals(inv.status()) || Invoice.DELETED.equals(inv.status())) {
      return BigDecimal.ZERO;
    }
    return inv.total().subtract(paid).subtract(credited);
  }
}
