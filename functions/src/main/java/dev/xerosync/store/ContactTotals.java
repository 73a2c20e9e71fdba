package dev.xerosync.store;

import java.math.BigDecimal;

/**
 * What a contact has been paid and still owes, in one invoice type and currency, with the counts
 * behind it; and its credit notes of that type: those with credit left and that credit, and those
 * used up (allocated or refunded) and their totals.
 */
public record ContactTotals(
    String type,
    String currency,
    long paidCount,
    BigDecimal paidAmount,
    long unpaidCount,
    BigDecimal unpaidAmount,
    long creditCount,
    BigDecimal creditAmount,
    long creditUsedCount,
    BigDecimal creditUsedAmount) {

  /** Invoices only, no credit notes. */
  public ContactTotals(
      String type,
      String currency,
      long paidCount,
      BigDecimal paidAmount,
      long unpaidCount,
      BigDecimal unpaidAmount) {
    this(
        type,
        currency,
        paidCount,
        paidAmount,
        unpaidCount,
        unpaidAmount,
        0,
        BigDecimal.ZERO,
        0,
        BigDecimal.ZERO);
  }

  /** What is still owed once the credit left is set against it; negative when in credit. */
  public BigDecimal outstanding() {
    return unpaidAmount.subtract(creditAmount);
  }

  /** The sum of two contacts' totals of the same type and currency (a record's). */
  public ContactTotals plus(ContactTotals o) {
    return new ContactTotals(
        type,
        currency,
        paidCount + o.paidCount,
        paidAmount.add(o.paidAmount),
        unpaidCount + o.unpaidCount,
        unpaidAmount.add(o.unpaidAmount),
        creditCount + o.creditCount,
        creditAmount.add(o.creditAmount),
        creditUsedCount + o.creditUsedCount,
        creditUsedAmount.add(o.creditUsedAmount));
  }

  /** Whether there is nothing at all behind these totals. */
  public boolean isEmpty() {
    return paidCount == 0
        && unpaidCount == 0
        && creditCount == 0
        && creditUsedCount == 0
        && paidAmount.signum() == 0
        && unpaidAmount.signum() == 0
        && creditAmount.signum() == 0
        && creditUsedAmount.signum() == 0;
  }
}
