package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;

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
    String status = invoice.status() == null ? "" : invoice.status();
    return switch (status) {
      case "DRAFT", "SUBMITTED" -> DRAFT;
      case "VOIDED", "DELETED" -> VOIDED;
      case "PAID" -> PAID;
      case "AUTHORISED" -> invoice.amountDue().compareTo(BigDecimal.ZERO) > 0 ? UNPAID : OTHER;
      default -> OTHER;
    };
  }
}
