package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;

/**
 * One invoice or credit note line; LineAmount excludes tax when LineAmountTypes is Exclusive,
 * includes it when Inclusive.
 */
public record LineItem(
    String lineItemId,
    String description,
    BigDecimal quantity,
    BigDecimal unitAmount,
    String accountCode,
    String taxType,
    BigDecimal taxAmount,
    BigDecimal lineAmount) {}
