package dev.xerosync.store;

import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The stored partition of a contact's invoices that a view reads. Open and overdue are both UNPAID,
 * split at read time by due date against "today" in the organisation's timezone, because that line
 * moves every midnight without any write.
 */
public enum InvoiceBucket {
  UNPAID,
  PAID,
  DRAFT,
  VOIDED,
  OTHER;

  public static InvoiceBucket of(XeroInvoice invoice) {
    return of(invoice.status(), invoice.amountDue());
  }

  /**
   * A credit note by the same rule, its remaining credit in place of the balance due: UNPAID while
   * credit is left to use (never overdue: a credit note has no due date), PAID once Xero says it is
   * used up (allocated or refunded).
   */
  public static InvoiceBucket of(XeroCredit creditNote) {
    return of(creditNote.status(), creditNote.remainingCredit());
  }

  private static InvoiceBucket of(@Nullable String status, BigDecimal open) {
    return switch (status == null ? "" : status) {
      case "DRAFT", "SUBMITTED" -> DRAFT;
      case "VOIDED", "DELETED" -> VOIDED;
      case "PAID" -> PAID;
      case "AUTHORISED" -> open.compareTo(BigDecimal.ZERO) > 0 ? UNPAID : OTHER;
      default -> OTHER;
    };
  }
}
