package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.util.Optional;

/**
 * Reconcile-before-retry for payments: our payment id is the payment's Reference, looked for among
 * the payments of the invoice it pays (Xero lists them on the invoice).
 */
final class PaymentByReference {
  private PaymentByReference() {}

  /** A payment found, and the invoice as Xero holds it with that payment. */
  record Found(String paymentId, JsonNode invoice) {}

  static Optional<Found> find(XeroCall c, String invoiceId, String reference)
      throws XeroApiException, TokenRefreshException {
    JsonNode inv = InvoiceById.current(c, invoiceId);
    for (JsonNode p : inv.path("Payments")) {
      if (reference.equals(p.path("Reference").asText())) {
        return Optional.of(new Found(p.path("PaymentID").asText(), inv));
      }
    }
    return Optional.empty();
  }
}
