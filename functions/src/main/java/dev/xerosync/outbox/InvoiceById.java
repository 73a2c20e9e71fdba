package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.util.Optional;

/**
 * Reconcile-before-retry for changes to a linked invoice: an unconfirmed status change (a void, an
 * authorisation) may have been applied, which shows in the invoice's status.
 */
final class InvoiceById {
  private InvoiceById() {}

  /** The invoice as Xero holds it now; a missing node when Xero returns none. */
  static JsonNode current(XeroCall c, String invoiceId)
      throws XeroApiException, TokenRefreshException {
    return c.lookup("Invoices/" + invoiceId).path("Invoices").path(0);
  }

  /** The invoice, when Xero already holds it at {@code status}. */
  static Optional<JsonNode> withStatus(XeroCall c, String invoiceId, String status)
      throws XeroApiException, TokenRefreshException {
    JsonNode now = current(c, invoiceId);
    return status.equals(now.path("Status").asText()) ? Optional.of(now) : Optional.empty();
  }
}
