package dev.xerosync.infra.xero.ledger;

import java.time.LocalDate;
import java.util.List;

/** Changes to an existing invoice; null fields stay as they are. lines replaces all line items. */
public record InvoiceEdit(
    String invoiceNumber,
    String reference,
    LocalDate date,
    LocalDate dueDate,
    String lineAmountTypes,
    List<NewInvoice.Line> lines) {
  public boolean isEmpty() {
    return invoiceNumber == null
        && reference == null
        && date == null
        && dueDate == null
        && lineAmountTypes == null
        && lines == null;
  }
}
