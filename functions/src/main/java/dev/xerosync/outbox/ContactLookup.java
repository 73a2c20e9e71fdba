package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finding our customer's contact in Xero: our customer id is the ContactNumber. Archived contacts
 * are included (one is never replaced), and a merged contact leads to the one it was merged into.
 */
final class ContactLookup {
  /** Merges followed at most: a chain longer than this is left for a person to look at. */
  static final int MAX_MERGES = 5;

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

  /**
   * The active contact whose name is {@code name} (Xero's names are unique among active contacts,
   * ignoring case). searchTerm is Xero's case-insensitive search over names, numbers and emails;
   * archived contacts are left out of a list unless asked for.
   */
  static Optional<JsonNode> activeByName(XeroCall c, String name)
      throws XeroApiException, TokenRefreshException {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (JsonNode n :
        c.lookup("Contacts?searchTerm=" + URLEncoder.encode(name.trim(), StandardCharsets.UTF_8))
            .path("Contacts")) {
      if (wanted.equals(n.path("Name").asText().trim().toLowerCase(Locale.ROOT))
          && "ACTIVE".equals(n.path("ContactStatus").asText("ACTIVE"))) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** Where an archived contact went: the contact it was merged into, or null when it was not. */
  static @Nullable String mergedTo(JsonNode contact) {
    String merged = contact.path("MergedToContactID").asText("");
    return merged.isEmpty() || merged.startsWith("00000000") ? null : merged;
  }

  /** A contact that was merged: {@code from}, and the one it led to (after every merge). */
  record Resolved(JsonNode contact, @Nullable JsonNode mergedFrom) {
    boolean merged() {
      return mergedFrom != null;
    }
  }

  /**
   * {@code found}, or the contact it was merged into when it is archived. Xero names the merge
   * (MergedToContactID) only on a single-contact read or a paged list, so an archived contact from
   * an unpaged list is read again by its id before it is called archived.
   */
  static Resolved resolve(XeroCall c, JsonNode found)
      throws XeroApiException, TokenRefreshException {
    JsonNode current = found;
    @Nullable JsonNode first = null;
    for (int i = 0; i < MAX_MERGES; i++) {
      if (!"ARCHIVED".equals(current.path("ContactStatus").asText())) {
        break;
      }
      if (!current.has("MergedToContactID")) {
        current = byId(c, current.path("ContactID").asText()).orElse(current);
      }
      String target = mergedTo(current);
      if (target == null) {
        break;
      }
      Optional<JsonNode> into = byId(c, target);
      if (into.isEmpty()) {
        break;
      }
      first = first == null ? current : first;
      current = into.get();
    }
    return new Resolved(current, first);
  }
}
