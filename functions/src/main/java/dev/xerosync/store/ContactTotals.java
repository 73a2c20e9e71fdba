package dev.xerosync.store;

import java.math.BigDecimal;

/**
 * What a contact has been paid and still owes, in one invoice type and currency, with the counts
 * behind it.
 */
public record ContactTotals(
    String type,
    String currency,
    long paidCount,
    BigDecimal paidAmount,
    long unpaidCount,
    BigDecimal unpaidAmount) {}
