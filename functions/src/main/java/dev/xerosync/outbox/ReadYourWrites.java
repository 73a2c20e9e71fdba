package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Log;
import dev.xerosync.xero.XeroDates;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-your-write: the query API shows what Xero answered without waiting for the webhook. A copy
 * that fails is only logged: the webhook and reconciliation bring it anyway, and the write itself
 * succeeded.
 */
final class ReadYourWrites {
  private static final Log LOG = Log.of(ReadYourWrites.class);

  private final ReadSide invoices;

  ReadYourWrites(ReadSide invoices) {
    this.invoices = invoices;
  }

  /** Xero's invoice as it answered a write or a lookup. */
  void invoice(String tenantId, JsonNode xeroInvoice) {
    if (!xeroInvoice.has("UpdatedDateUTC")) {
      return;
    }
    try {
      invoices.upsert(tenantId, XeroInvoice.fromJson(xeroInvoice));
    } catch (RuntimeException e) {
      LOG.warn("invoice not copied to the read side", "error", e.getClass().getSimpleName());
    }
  }

  /**
   * Xero's answer to a payment names the invoice but not its new amounts, so the stored invoice
   * gets the payment applied here, dated a millisecond before the payment. Xero's own invoice after
   * the payment is at least as new as the payment, so the sync's copy replaces this one; a later
   * invoice already stored is left alone.
   */
  void payment(String tenantId, String invoiceId, JsonNode payment) {
    try {
      Optional<XeroInvoice> stored = invoices.get(tenantId, invoiceId);
      Instant paidAt = XeroDates.instant(payment.path("UpdatedDateUTC").asText(null));
      BigDecimal amount = new BigDecimal(payment.path("Amount").asText("0"));
      String paymentId = payment.path("PaymentID").asText();
      if (stored.isEmpty() || paidAt == null || amount.signum() <= 0) {
        return;
      }
      XeroInvoice inv = stored.get();
      Instant version = paidAt.minusMillis(1);
      if (!version.isAfter(inv.updatedDateUtc())
          || inv.payments().stream().anyMatch(p -> paymentId.equals(p.paymentId()))) {
        return;
      }
      LocalDate date = XeroDates.date(null, payment.path("Date").asText(null));
      BigDecimal due = inv.amountDue().subtract(amount).max(BigDecimal.ZERO);
      boolean paid = due.signum() == 0;
      List<XeroPayment> payments = new ArrayList<>(inv.payments());
      payments.add(new XeroPayment(paymentId, date, amount, payment.path("Reference").asText()));
      invoices.upsert(
          tenantId,
          new XeroInvoice(
              inv.invoiceId(),
              inv.invoiceNumber(),
              inv.reference(),
              inv.type(),
              paid ? "PAID" : inv.status(),
              inv.contactId(),
              inv.contactName(),
              inv.date(),
              inv.dueDate(),
              inv.currencyCode(),
              inv.subTotal(),
              inv.totalTax(),
              inv.total(),
              due,
              inv.amountPaid().add(amount),
              inv.amountCredited(),
              paid ? date : inv.fullyPaidOnDate(),
              version,
              List.copyOf(payments),
              inv.allocations()));
    } catch (RuntimeException e) {
      LOG.warn("payment not copied to the read side", "error", e.getClass().getSimpleName());
    }
  }
}
