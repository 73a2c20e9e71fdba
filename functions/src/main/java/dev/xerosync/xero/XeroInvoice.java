package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Guid;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An invoice as our sync reads it from Xero's Accounting API. {@code validationErrors} and {@code
 * warnings} are the messages Xero attached to it (empty for a clean invoice, and for every stored
 * one).
 */
public record XeroInvoice(
    @Nullable String invoiceId,
    @Nullable String invoiceNumber,
    @Nullable String reference,
    @Nullable String type,
    @Nullable String status,
    @Nullable String contactId,
    @Nullable String contactName,
    @Nullable LocalDate date,
    @Nullable LocalDate dueDate,
    @Nullable String currencyCode,
    BigDecimal subTotal,
    BigDecimal totalTax,
    BigDecimal total,
    BigDecimal amountDue,
    BigDecimal amountPaid,
    BigDecimal amountCredited,
    @Nullable LocalDate fullyPaidOnDate,
    @Nullable Instant updatedDateUtc,
    List<XeroPayment> payments,
    List<XeroAllocation> allocations,
    List<String> validationErrors,
    List<String> warnings) {

  /** A clean invoice: no validation errors, no warnings. */
  public XeroInvoice(
      @Nullable String invoiceId,
      @Nullable String invoiceNumber,
      @Nullable String reference,
      @Nullable String type,
      @Nullable String status,
      @Nullable String contactId,
      @Nullable String contactName,
      @Nullable LocalDate date,
      @Nullable LocalDate dueDate,
      @Nullable String currencyCode,
      BigDecimal subTotal,
      BigDecimal totalTax,
      BigDecimal total,
      BigDecimal amountDue,
      BigDecimal amountPaid,
      BigDecimal amountCredited,
      @Nullable LocalDate fullyPaidOnDate,
      Instant updatedDateUtc,
      List<XeroPayment> payments,
      List<XeroAllocation> allocations) {
    this(
        invoiceId,
        invoiceNumber,
        reference,
        type,
        status,
        contactId,
        contactName,
        date,
        dueDate,
        currencyCode,
        subTotal,
        totalTax,
        total,
        amountDue,
        amountPaid,
        amountCredited,
        fullyPaidOnDate,
        updatedDateUtc,
        payments,
        allocations,
        List.of(),
        List.of());
  }

  /** Whether Xero said the invoice is in error: such an invoice is logged, counted, not stored. */
  public boolean hasValidationErrors() {
    return !validationErrors.isEmpty();
  }

  public static XeroInvoice fromJson(JsonNode n) {
    JsonNode contact = n.path("Contact");
    List<XeroPayment> payments = new ArrayList<>();
    for (JsonNode p : n.path("Payments")) {
      payments.add(
          new XeroPayment(
              text(p, "PaymentID"),
              XeroDates.date(text(p, "DateString"), text(p, "Date")),
              decimal(p, "Amount"),
              text(p, "Reference")));
    }
    payments.sort(
        Comparator.comparing(XeroPayment::date, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(XeroPayment::paymentId));
    List<XeroAllocation> allocations = new ArrayList<>();
    addAllocations(
        allocations,
        n.path("CreditNotes"),
        XeroAllocation.Kind.CREDIT_NOTE,
        "CreditNoteID",
        "CreditNoteNumber");
    addAllocations(
        allocations,
        n.path("Overpayments"),
        XeroAllocation.Kind.OVERPAYMENT,
        "OverpaymentID",
        null);
    addAllocations(
        allocations, n.path("Prepayments"), XeroAllocation.Kind.PREPAYMENT, "PrepaymentID", null);
    return new XeroInvoice(
        id(n, "InvoiceID"),
        text(n, "InvoiceNumber"),
        text(n, "Reference"),
        text(n, "Type"),
        text(n, "Status"),
        id(contact, "ContactID"),
        text(contact, "Name"),
        XeroDates.date(text(n, "DateString"), text(n, "Date")),
        XeroDates.date(text(n, "DueDateString"), text(n, "DueDate")),
        text(n, "CurrencyCode"),
        decimal(n, "SubTotal"),
        decimal(n, "TotalTax"),
        decimal(n, "Total"),
        decimal(n, "AmountDue"),
        decimal(n, "AmountPaid"),
        decimal(n, "AmountCredited"),
        XeroDates.date(null, text(n, "FullyPaidOnDate")),
        XeroDates.instant(text(n, "UpdatedDateUTC")),
        List.copyOf(payments),
        List.copyOf(allocations),
        messages(n.path("ValidationErrors")),
        messages(n.path("Warnings")));
  }

  /** Xero's ValidationErrors and Warnings are arrays of {@code {"Message": "..."}}. */
  private static List<String> messages(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : array) {
      String text = m.isTextual() ? m.asText() : m.path("Message").asText("");
      out.add(text.isEmpty() ? m.toString() : text);
    }
    return List.copyOf(out);
  }

  private static void addAllocations(
      List<XeroAllocation> into,
      JsonNode array,
      XeroAllocation.Kind kind,
      String idField,
      @Nullable String numberField) {
    for (JsonNode a : array) {
      BigDecimal applied =
          a.hasNonNull("AppliedAmount") ? decimal(a, "AppliedAmount") : decimal(a, "Total");
      into.add(
          new XeroAllocation(
              kind,
              id(a, idField),
              numberField == null ? null : text(a, numberField),
              applied,
              XeroDates.date(text(a, "DateString"), text(a, "Date"))));
    }
  }

  static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A Xero id field, lower-cased ({@link Guid#canonical}) so it keys and compares as one id. */
  static @Nullable String id(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : Guid.canonical(v);
  }

  static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return BigDecimal.ZERO;
    }
    return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
  }
}
