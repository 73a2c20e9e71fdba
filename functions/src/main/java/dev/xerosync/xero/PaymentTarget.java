package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Guid;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a payment in Xero's /Payments feed pays. Its Invoice element names an invoice only when the
 * Invoice.Type is ACCREC or ACCPAY: a refund of a credit note (ARCREDITPAYMENT, Invoice.Type
 * ACCRECCREDIT), an overpayment or a prepayment carries that credit's id in Invoice.InvoiceID, and
 * taking it for an invoice id would ask Xero for an invoice that does not exist.
 */
public record PaymentTarget(XeroAllocation.@Nullable Kind creditKind, String id) {

  /** True when the payment is of an invoice (then {@link #id} is an invoice id). */
  public boolean isInvoice() {
    return creditKind == null;
  }

  /** The payment's target, or null when the payment names none. */
  public static @Nullable PaymentTarget of(JsonNode payment) {
    JsonNode invoice = payment.path("Invoice");
    String type = upper(invoice.path("Type").asText(""));
    String paymentType = upper(payment.path("PaymentType").asText(""));
    XeroAllocation.Kind kind = creditKind(type, paymentType);
    if (kind == null && !type.isEmpty() && !type.equals("ACCREC") && !type.equals("ACCPAY")) {
      return null; // A type we do not know: never guess that it is an invoice.
    }
    String id = invoice.path("InvoiceID").asText(null);
    if (kind != null) {
      // Xero also names the credit in its own element ({"CreditNote": {"CreditNoteID": ...}}).
      String own =
          payment
              .path(
                  switch (kind) {
                    case CREDIT_NOTE -> "CreditNote";
                    case OVERPAYMENT -> "Overpayment";
                    case PREPAYMENT -> "Prepayment";
                  })
              .path(XeroCredit.idField(kind))
              .asText(null);
      id = own != null ? own : id;
    }
    return id == null || id.isBlank() ? null : new PaymentTarget(kind, Guid.canonical(id));
  }

  private static XeroAllocation.@Nullable Kind creditKind(String invoiceType, String paymentType) {
    if (invoiceType.endsWith("CREDIT") || paymentType.endsWith("CREDITPAYMENT")) {
      return XeroAllocation.Kind.CREDIT_NOTE;
    }
    if (invoiceType.endsWith("OVERPAYMENT") || paymentType.endsWith("OVERPAYMENTPAYMENT")) {
      return XeroAllocation.Kind.OVERPAYMENT;
    }
    if (invoiceType.endsWith("PREPAYMENT") || paymentType.endsWith("PREPAYMENTPAYMENT")) {
      return XeroAllocation.Kind.PREPAYMENT;
    }
    return null;
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
