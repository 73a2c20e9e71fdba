package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.Optional;

/**
 * Finding our customer's contact in Xero: our customer id is the ContactNumber. Archived contacts
 * are included (one is never replaced), and a merged contact leads to the one it was merged into.
 */
final class ContactLookup {
  private ContactLookup() {}

  /** The contact whose ContactNumber is exactly {@code number}, archived ones included. */
  static Optional<JsonNode> byNumber(XeroCall c, String number)
      throws XeroApiException, TokenRefreshException {
    for (JsonNode n :
        c.lookup(
                "Contacts?includeArchived=true&where="
                    + XeroWrites.whereEquals("ContactNumber", number))
            .path("Contacts")) {
      if (number.equals(n.path("ContactNumber").asText())) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  static Optional<JsonNode> byId(XeroCall c, String contactId)
      throws XeroApiException, TokenRefreshException {
    JsonNode n = c.lookup("Contacts/" + contactId).path("Contacts").path(0);
    return n.isMissingNode() ? Optional.empty() : Optional.of(n);
  }

  /** The contact {@code found} was merged into, when Xero still has it; else {@code found}. */
  static JsonNode followMerge(XeroCall c, JsonNode found)
      throws XeroApiException, TokenRefreshException {
    String merged = found.path("MergedToContactID").asText("");
    if (merged.isEmpty() || merged.startsWith("00000000")) {
      return found;
    }
    return byId(c, merged).orElse(found);
  }
}
