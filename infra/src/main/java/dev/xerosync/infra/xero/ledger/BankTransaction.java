package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Money into (RECEIVE) or out of (SPEND) a bank account that is not a payment of an invoice: a
 * stand-alone deposit, or with RECEIVE-OVERPAYMENT / RECEIVE-PREPAYMENT the receipt that creates an
 * overpayment or prepayment (creditId names it). Deleting keeps the record with Status DELETED.
 */
public record BankTransaction(
    String bankTransactionId,
    String type,
    String contactId,
    String bankAccountId,
    LocalDate date,
    String reference,
    String lineAmountTypes,
    List<LineItem> lineItems,
    BigDecimal subTotal,
    BigDecimal totalTax,
    BigDecimal total,
    String currencyCode,
    BigDecimal currencyRate,
    String status,
    String creditId,
    Instant updatedDateUtc) {
  public static final String AUTHORISED = "AUTHORISED", DELETED = "DELETED";
  public static final List<String> TYPES =
      List.of("RECEIVE", "SPEND", "RECEIVE-OVERPAYMENT", "RECEIVE-PREPAYMENT");

  /** What a caller asks for; the bank account is already resolved to its id (null: none found). */
  public record New(
      String type,
      String contactId,
      String bankAccountId,
      LocalDate date,
      String reference,
      String lineAmountTypes,
      List<NewInvoice.Line> lines,
      String currencyCode,
      BigDecimal currencyRate) {}

  BankTransaction deleted(Instant at) {
    return new BankTransaction(
        bankTransactionId,
        type,
        contactId,
        bankAccountId,
        date,
        reference,
        lineAmountTypes,
        lineItems,
        subTotal,
        totalTax,
        total,
        currencyCode,
        currencyRate,
        DELETED,
        creditId,
        at);
  }
}
