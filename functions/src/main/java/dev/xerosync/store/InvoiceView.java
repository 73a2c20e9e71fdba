package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lists a user sees on a contact or record, as defined in issue #5. Open and overdue split the
 * UNPAID bucket at "today" in the organisation's timezone: due today is open, due yesterday is
 * overdue.
 */
public enum InvoiceView {
  /** Balance > 0 and due today or later (or no due date). */
  OPEN(EnumSet.of(InvoiceBucket.UNPAID)),
  /** Balance > 0 and due before today. */
  OVERDUE(EnumSet.of(InvoiceBucket.UNPAID)),
  /** Balance > 0: open, overdue or partially paid. */
  UNPAID(EnumSet.of(InvoiceBucket.UNPAID)),
  /** Status PAID, balance 0. */
  PAID(EnumSet.of(InvoiceBucket.PAID)),
  DRAFT(EnumSet.of(InvoiceBucket.DRAFT)),
  VOIDED(EnumSet.of(InvoiceBucket.VOIDED)),
  /** Everything but drafts and voided or deleted invoices, unless a status filter asks for them. */
  ALL(EnumSet.of(InvoiceBucket.UNPAID, InvoiceBucket.PAID, InvoiceBucket.OTHER)),
  /** The invoices pinned to a record. */
  PINNED(EnumSet.allOf(InvoiceBucket.class));

  private final Set<InvoiceBucket> buckets;

  InvoiceView(Set<InvoiceBucket> buckets) {
    this.buckets = buckets;
  }

  public Set<InvoiceBucket> buckets() {
    return buckets;
  }

  /**
   * True when the view is exactly one stored bucket, so ByContactView serves it without a filter on
   * the bucket.
   */
  public boolean isBucketView() {
    return this != ALL && this != PINNED;
  }

  public boolean includes(XeroInvoice invoice, LocalDate today) {
    if (!buckets.contains(InvoiceBucket.of(invoice))) {
      return false;
    }
    return switch (this) {
      case OPEN -> !isOverdue(invoice, today);
      case OVERDUE -> isOverdue(invoice, today);
      default -> true;
    };
  }

  /**
   * Overdue: something is still due and the due date is before today. An invoice without a due date
   * never is.
   */
  public static boolean isOverdue(XeroInvoice invoice, LocalDate today) {
    return InvoiceBucket.of(invoice) == InvoiceBucket.UNPAID
        && invoice.dueDate() != null
        && invoice.dueDate().isBefore(today);
  }
}
