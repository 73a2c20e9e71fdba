package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a caller asks for when creating an invoice; the ledger fills in ids, numbers and totals. The
 * sent totals (SubTotal, TotalTax, Total) are only checked and, within 0.10, honoured as a rounding
 * adjustment.
 */
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
    String createdByClientId,
    BigDecimal currencyRate,
    BigDecimal sentSubTotal,
    BigDecimal sentTotalTax,
    BigDecimal sentTotal) {
  public NewInvoice(
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
    this(
        type,
        contactId,
        invoiceNumber,
        reference,
        date,
        dueDate,
        lineAmountTypes,
        lines,
        currencyCode,
        status,
        createdByClientId,
        null,
        null,
        null,
        null);
  }

  /** A requested line; lineItemId names an existing line on update (null: a new line). */
  public record Line(
      String description,
      BigDecimal quantity,
      BigDecimal unitAmount,
      String accountCode,
      String taxType,
      String lineItemId,
      BigDecimal discountRate,
      String itemCode) {
    public Line(
        String description,
        BigDecimal quantity,
        BigDecimal unitAmount,
        String accountCode,
        String taxType) {
      this(description, quantity, unitAmount, accountCode, taxType, null, null, null);
    }
  }
}
