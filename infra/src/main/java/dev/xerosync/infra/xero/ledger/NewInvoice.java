package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** What a caller asks for when creating an invoice; the ledger fills in ids, numbers and totals. */
public record NewInvoice(
    String type,
    String contactId,
    String invoiceNumber,
    String reference,
    LocalDate date,
    LocalDate dueDate,
    String lineAmountTypes,
    List<Line> lines,
    String currencyCode,
    String status,
    String createdByClientId) {
  public record Line(
      String description,
      BigDecimal quantity,
      BigDecimal unitAmount,
      String accountCode,
      String taxType) {}
}
