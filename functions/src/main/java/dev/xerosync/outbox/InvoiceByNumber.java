package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reconcile-before-retry for invoice creates: our invoice id is Xero's InvoiceNumber, so the
 * invoices an unconfirmed create may have made are found by InvoiceNumbers= (a deleted one does not
 * count).
 */
final class InvoiceByNumber {
  private InvoiceByNumber() {}

  /** The invoice Xero holds under our number (not deleted). */
  static Optional<JsonNode> find(XeroCall c, String number)
      throws XeroApiException, TokenRefreshException {
    return Optional.ofNullable(findAll(c, List.of(number)).get(number));
  }

  /** The invoices Xero holds under any of {@code numbers} (not deleted), by number. */
  static Map<String, JsonNode> findAll(XeroCall c, Collection<String> numbers)
      throws XeroApiException, TokenRefreshException {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    for (String group : lookupGroups(List.copyOf(numbers))) {
      for (JsonNode inv :
          c.lookup("Invoices?InvoiceNumbers=" + XeroWrites.encode(group)).path("Invoices")) {
        String number = inv.path("InvoiceNumber").asText();
        if (numbers.contains(number) && !"DELETED".equals(inv.path("Status").asText())) {
          found.putIfAbsent(number, inv);
        }
      }
    }
    return found;
  }

  /**
   * Invoice numbers joined for InvoiceNumbers= (our ids hold no commas), split so that no URL grows
   * past about 2,000 characters, as ids may be 255 long: usually one lookup per batch.
   */
  static List<String> lookupGroups(List<String> numbers) {
    List<String> groups = new ArrayList<>();
    StringBuilder group = new StringBuilder();
    for (String n : numbers) {
      if (group.length() > 0 && group.length() + n.length() + 1 > 1_500) {
        groups.add(group.toString());
        group.setLength(0);
      }
      group.append(group.length() == 0 ? "" : ",").append(n);
    }
    if (group.length() > 0) {
      groups.add(group.toString());
    }
    return groups;
  }
}
