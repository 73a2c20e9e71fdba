package dev.xerosync.xero;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A credit note, overpayment or prepayment applied to an invoice. */
public record XeroAllocation(
    Kind kind, String id, String number, BigDecimal amount, LocalDate date) {
  public enum Kind {
    CREDIT_NOTE,
    OVERPAYMENT,
    PREPAYMENT
  }
}
