package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A credit note, overpayment or prepayment as our sync reads it from Xero, with the allocations
 * that apply it to invoices.
 */
public record XeroCredit(
    XeroAllocation.Kind kind,
    @Nullable String creditId,
    @Nullable String number,
    @Nullable String reference,
    @Nullable String type,
    @Nullable String status,
    @Nullable String contactId,
    @Nullable String contactName,
    @Nullable LocalDate date,
    @Nullable String currencyCode,
    BigDecimal total,
    BigDecimal remainingCredit,
    @Nullable Instant updatedDateUtc,
    List<Allocation> allocations) {

  /** Part of the credit applied to one invoice, with the invoice's number as Xero names it. */
  public record Allocation(
      @Nullable String allocationId,
      @Nullable String invoiceId,
      @Nullable String invoiceNumber,
      BigDecimal amount,
      @Nullable LocalDate date) {

    public Allocation(
        @Nullable String allocationId,
        @Nullable String invoiceId,
        BigDecimal amount,
        @Nullable LocalDate date) {
      this(allocationId, invoiceId, null, amount, date);
    }
  }

  /** The endpoint (and JSON collection) Xero serves this kind of credit from. */
  public static String collection(XeroAllocation.Kind kind) {
    return switch (kind) {
      case CREDIT_NOTE -> "CreditNotes";
      case OVERPAYMENT -> "Overpayments";
      case PREPAYMENT -> "Prepayments";
    };
  }

  static String idField(XeroAllocation.Kind kind) {
    return switch (kind) {
      case CREDIT_NOTE -> "CreditNoteID";
      case OVERPAYMENT -> "OverpaymentID";
      case PREPAYMENT -> "PrepaymentID";
    };
  }

  public static XeroCredit fromJson(XeroAllocation.Kind kind, JsonNode n) {
    List<Allocation> allocations = new ArrayList<>();
    for (JsonNode a : n.path("Allocations")) {
      allocations.add(
          new Allocation(
              XeroInvoice.text(a, "AllocationID"),
              XeroInvoice.id(a.path("Invoice"), "InvoiceID"),
              XeroInvoice.text(a.path("Invoice"), "InvoiceNumber"),
              XeroInvoice.decimal(a, "Amount"),
              XeroDates.date(XeroInvoice.text(a, "DateString"), XeroInvoice.text(a, "Date"))));
    }
    String id = XeroInvoice.id(n, idField(kind));
    return new XeroCredit(
        kind,
        id != null ? id : XeroInvoice.id(n, "ID"),
        XeroInvoice.text(n, "CreditNoteNumber"),
        XeroInvoice.text(n, "Reference"),
        XeroInvoice.text(n, "Type"),
        XeroInvoice.text(n, "Status"),
        XeroInvoice.id(n.path("Contact"), "ContactID"),
        XeroInvoice.text(n.path("Contact"), "Name"),
        XeroDates.date(XeroInvoice.text(n, "DateString"), XeroInvoice.text(n, "Date")),
        XeroInvoice.text(n, "CurrencyCode"),
        XeroInvoice.decimal(n, "Total"),
        XeroInvoice.decimal(n, "RemainingCredit"),
        XeroDates.instant(XeroInvoice.text(n, "UpdatedDateUTC")),
        List.copyOf(allocations));
  }

  /** The invoices this credit is allocated to. */
  public List<String> invoiceIds() {
    return allocations.stream().map(Allocation::invoiceId).distinct().toList();
  }
}
