package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.Optional;

/**
 * Reconcile-before-retry for deposits: our deposit id is the bank transaction's Reference (a
 * deleted one does not count).
 */
final class DepositByReference {
  private DepositByReference() {}

  /** The BankTransactionID of the deposit Xero holds under {@code reference}. */
  static Optional<String> find(XeroCall c, String reference)
      throws XeroApiException, TokenRefreshException {
    JsonNode found =
        c.lookup("BankTransactions?where=" + XeroWrites.whereEquals("Reference", reference))
            .path("BankTransactions");
    for (JsonNode t : found) {
      if (reference.equals(t.path("Reference").asText())
          && !"DELETED".equals(t.path("Status").asText())) {
        return Optional.of(t.path("BankTransactionID").asText());
      }
    }
    return Optional.empty();
  }
}
