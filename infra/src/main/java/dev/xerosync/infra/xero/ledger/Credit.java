package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A credit note, overpayment or prepayment: a document whose remaining credit can be allocated to
 * invoices. Xero models the three separately but they share this shape; kind tells them apart.
 */
public record Credit(
    String creditId,
    Kind kind,
    String type,
    String contactId,
    String number,
    String reference,
    LocalDate date,
    String lineAmountTypes,
    List<LineItem> lineItems,
    BigDecimal subTotal,
    BigDecimal totalTax,
    BigDecimal total,
    String currencyCode,
    String status,
    Instant updatedDateUtc,
    LocalDate fullyPaidOnDate) {
  public enum Kind {
    CREDITNOTE,
    OVERPAYMENT,
    PREPAYMENT
  }

  /** The Type a payment of this credit names in its Invoice element (Xero's Invoice Types). */
  public String invoiceType() {
    return switch (kind) {
      case CREDITNOTE -> type;
      case OVERPAYMENT -> "AROVERPAYMENT";
      case PREPAYMENT -> "ARPREPAYMENT";
    };
  }

  /** Xero's PaymentType for a refund of this credit. */
  public String paymentType() {
    return switch (kind) {
      case CREDITNOTE -> "ARCREDITPAYMENT";
      case OVERPAYMENT -> "AROVERPAYMENTPAYMENT";
      case PREPAYMENT -> "ARPREPAYMENTPAYMENT";
    };
  }

  Credit withStatus(String s, LocalDate paidOn, Instant at) {
    return new Credit(
        creditId,
        kind,
        type,
        contactId,
        number,
        reference,
        date,
        lineAmountTypes,
        lineItems,
        subTotal,
        totalTax,
        total,
        currencyCode,
        s,
        at,
        paidOn);
  }
}
