package dev.xerosync.xero;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** A credit note, overpayment or prepayment applied to an invoice. */
public record XeroAllocation(
    Kind kind,
    @Nullable String id,
    @Nullable String number,
    BigDecimal amount,
    @Nullable LocalDate date) {
  public enum Kind {
    CREDIT_NOTE,
    OVERPAYMENT,
    PREPAYMENT
  }
}
