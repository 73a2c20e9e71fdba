package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;

/**
 * One invoice or credit note line; LineAmount excludes tax when LineAmountTypes is Exclusive,
 * includes it when Inclusive, and is after DiscountRate (Quantity x UnitAmount x (100 -
 * DiscountRate) / 100, rounded to 2 dp). TaxAmount is this line's own tax, rounded to 2 dp.
 */
public record LineItem(
    String lineItemId,
    String description,
    BigDecimal quantity,
    BigDecimal unitAmount,
    String accountCode,
    String taxType,
    BigDecimal taxAmount,
    BigDecimal lineAmount,
    BigDecimal discountRate,
    String itemCode) {
  public LineItem(
      String lineItemId,
      String description,
      BigDecimal quantity,
      BigDecimal unitAmount,
      String accountCode,
      String taxType,
      BigDecimal taxAmount,
      BigDecimal lineAmount) {
    this(
        lineItemId,
        description,
        quantity,
        unitAmount,
        accountCode,
        taxType,
        taxAmount,
        lineAmount,
        null,
        null);
  }
}
