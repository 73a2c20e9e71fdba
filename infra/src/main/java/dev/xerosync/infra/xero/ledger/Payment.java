package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A payment applied to one invoice from one account. Reversal keeps the record with Status DELETED,
 * as Xero does.
 */
public record Payment(
    String paymentId,
    String invoiceId,
    String accountId,
    LocalDate date,
    BigDecimal amount,
    String reference,
    String status,
    String paymentType,
    BigDecimal currencyRate,
    Instant updatedDateUtc,
    boolean isReconciled) {
  public static final String AUTHORISED = "AUTHORISED", DELETED = "DELETED";

  Payment deleted(Instant at) {
    return new Payment(
        paymentId,
        invoiceId,
        accountId,
        date,
        amount,
        reference,
        DELETED,
        paymentType,
        currencyRate,
        at,
        isReconciled);
  }
}
