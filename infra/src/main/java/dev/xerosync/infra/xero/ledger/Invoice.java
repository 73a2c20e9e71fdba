package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An invoice's own fields. Amounts that depend on other documents (AmountPaid, AmountCredited,
 * AmountDue) are derived by the ledger from payments and allocations, so they can never drift from
 * them.
 */
public record Invoice(
    String invoiceId,
    String type,
    String contactId,
    String invoiceNumber,
    String reference,
    LocalDate date,
    LocalDate dueDate,
    String lineAmountTypes,
    List<LineItem> lineItems,
    String currencyCode,
    BigDecimal currencyRate,
    String status,
    BigDecimal subTotal,
    BigDecimal totalTax,
    BigDecimal total,
    LocalDate fullyPaidOnDate,
    Instant createdDateUtc,
    Instant updatedDateUtc,
    String createdByClientId,
    boolean sentToContact) {
  public static final String DRAFT = "DRAFT",
      SUBMITTED = "SUBMITTED",
      AUTHORISED = "AUTHORISED",
      PAID = "PAID",
      VOIDED = "VOIDED",
      DELETED = "DELETED";

  Invoice withStatus(String s, LocalDate paidOn, Instant at) {
    return new Invoice(
        invoiceId,
        type,
        contactId,
        invoiceNumber,
        reference,
        date,
        dueDate,
        lineAmountTypes,
        lineItems,
        currencyCode,
        currencyRate,
        s,
        subTotal,
        totalTax,
        total,
        paidOn,
        createdDateUtc,
        at,
        createdByClientId,
        sentToContact);
  }

  Invoice withContact(String newContactId, Instant at) {
    return new Invoice(
        invoiceId,
        type,
        newContactId,
        invoiceNumber,
        reference,
        date,
        dueDate,
        lineAmountTypes,
        lineItems,
        currencyCode,
        currencyRate,
        status,
        subTotal,
        totalTax,
        total,
        fullyPaidOnDate,
        createdDateUtc,
        at,
        createdByClientId,
        sentToContact);
  }

  Invoice touched(Instant at) {
    return withStatus(status, fullyPaidOnDate, at);
  }
}
