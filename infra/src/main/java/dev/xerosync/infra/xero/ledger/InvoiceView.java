package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.util.List;

/**
 * A consistent read of one invoice with everything derived from other documents, taken under the
 * ledger lock.
 */
public record InvoiceView(
    Invoice invoice,
    Contact contact,
    List<Payment> payments,
    List<AppliedCredit> credits,
    BigDecimal amountPaid,
    BigDecimal amountCredited,
    BigDecimal amountDue) {
  /** A credit document and how much of it this invoice received. */
  public record AppliedCredit(
      Credit credit, BigDecimal appliedAmount, BigDecimal remainingCredit) {}

  public String status() {
    return invoice.status();
  }

  public BigDecimal total() {
    return invoice.total();
  }
}
