package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.LedgerException;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Xero's batch write semantics for PUT/POST collections. With summarizeErrors=true (the default)
 * one invalid element fails the whole request with 400 ValidationException listing each element and
 * nothing is saved; with summarizeErrors=false the valid elements are saved and the response is 200
 * with HasErrors/ValidationErrors per element.
 */
final class BatchWrite {
  /**
   * Xero asks for at most 50 elements per write request (its docs' batch guidance); more is refused
   * whole here (wording unsourced).
   */
  static final int MAX_ELEMENTS = 50;

  /** One element of the request. */
  interface Item {
    List<String> validate();

    ObjectNode apply();

    ObjectNode echo();
  }

  /** Collections whose schema carries Warnings beside ValidationErrors. */
  private static final java.util.Set<String> WITH_WARNINGS =
      java.util.Set.of("Invoices", "Payments");

  private BatchWrite() {}

  static SimResponse run(AccountingCall call, Clock clock, String key, List<Item> items) {
    boolean summarize =
        call.request().param("summarizeErrors").map(Boolean::parseBoolean).orElse(true);
    if (items.size() > MAX_ELEMENTS) {
      return Problems.validation(XeroMessages.tooManyElements(MAX_ELEMENTS));
    }
    synchronized (call.ledger()) {
      List<List<String>> errors = new ArrayList<>();
      boolean anyError = false;
      for (Item i : items) {
        List<String> e = i.validate();
        errors.add(e);
        anyError |= !e.isEmpty();
      }
      if (summarize && anyError) {
        ArrayNode elements = XeroJson.MAPPER.createArrayNode();
        for (int k = 0; k < items.size(); k++) {
          if (errors.get(k).isEmpty()) {
            continue;
          }
          ObjectNode el = refused(items.get(k).echo(), key);
          el.set("ValidationErrors", Problems.validationErrors(errors.get(k)));
          elements.add(el);
        }
        return Problems.apiException(
            400, 10, "ValidationException", "A validation exception occurred", elements);
      }
      ArrayNode out = XeroJson.MAPPER.createArrayNode();
      for (int k = 0; k < items.size(); k++) {
        List<String> e = errors.get(k);
        ObjectNode node = null;
        if (e.isEmpty()) {
          try {
            node = items.get(k).apply();
          } catch (LedgerException ex) {
            e = ex.messages();
          }
        }
        if (node == null) {
          node = refused(items.get(k).echo(), key);
          node.put("StatusAttributeString", "ERROR");
          node.set("ValidationErrors", Problems.validationErrors(e));
          if (WITH_WARNINGS.contains(key)) {
            node.putArray("Warnings");
          }
        } else if (!summarize) {
          // The simulator raises no warnings, so a saved element is OK, never WARNING.
          node.put("StatusAttributeString", "OK");
          node.putArray("ValidationErrors");
          if (WITH_WARNINGS.contains(key)) {
            node.putArray("Warnings");
          }
        }
        out.add(node);
      }
      return Envelope.ok(Envelope.start(call, clock), key, out);
    }
  }

  /** Each collection's id field: a refused element carries it, all zeros. */
  private static final java.util.Map<String, String> IDS =
      java.util.Map.of(
          "Invoices", "InvoiceID",
          "Contacts", "ContactID",
          "Payments", "PaymentID",
          "BankTransactions", "BankTransactionID");

  /**
   * A refused element as Xero gives it back: in its own shapes, not as sent. Dates come as
   * /Date(ms+0000)/ with their ISO DateString twin (the spec's createInvoices example of an ERROR
   * element), and the element's id is all zeros (pyxero's recorded live answer: InvoiceID
   * 00000000-0000-0000-0000-000000000000). It keeps only the fields Xero's model has ({@link
   * ElementFields}), and carries its collection's error flag as Xero's recorded 400s do
   * (Xero-Java#171 and Xero-NetStandard#156: an invoice's HasErrors; the spec's createContacts
   * example: a contact's HasValidationErrors; Payment's schema has the same flag, BankTransaction's
   * none).
   */
  static ObjectNode refused(ObjectNode sent, String key) {
    ObjectNode el = ElementFields.known(sent, key);
    if ("Invoices".equals(key)) {
      el.put("HasErrors", true);
    } else if (List.of("Contacts", "Payments").contains(key)) {
      el.put("HasValidationErrors", true);
    }
    for (String field : List.of("Date", "DueDate")) {
      String v = el.path(field).asText("");
      if (v.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
        try {
          java.time.LocalDate d = java.time.LocalDate.parse(v.substring(0, 10));
          el.put(field + "String", XeroJson.dateString(d));
          el.put(field, XeroJson.msDate(d));
        } catch (java.time.format.DateTimeParseException e) {
          // Not a date Xero could read: it stays as sent, beside Xero's message about it.
        }
      }
    }
    String id = IDS.get(key);
    if (id != null && !el.hasNonNull(id)) {
      el.put(id, "00000000-0000-0000-0000-000000000000");
    }
    return el;
  }

  /** Elements come wrapped ({"Invoices":[...]}), as a bare array, or as one object. */
  static List<ObjectNode> elements(byte[] body, String key) {
    JsonNode root;
    try {
      root = XeroJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ListQuery.BadQuery("The request body could not be parsed as JSON.");
    }
    if (root == null || root.isMissingNode()) {
      throw new ListQuery.BadQuery("The request body is empty.");
    }
    JsonNode arr = root.isArray() ? root : root.has(key) ? root.get(key) : null;
    List<ObjectNode> out = new ArrayList<>();
    if (arr == null) {
      if (root.isObject()) {
        out.add((ObjectNode) root);
      }
    } else {
      arr.forEach(
          n -> {
            if (n.isObject()) {
              out.add((ObjectNode) n);
            }
          });
    }
    return out;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static BigDecimal number(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    try {
      return new BigDecimal(v.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Request dates: 2019-03-11, 2019-03-11T00:00:00, or /Date(ms+0000)/. */
  static LocalDate date(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null || s.isBlank()) {
      return null;
    }
    if (s.startsWith("/Date(")) {
      return LocalDate.ofInstant(XeroJson.parseMsDate(s), ZoneOffset.UTC);
    }
    if (s.length() > 10) {
      return LocalDateTime.parse(s.substring(0, 19)).toLocalDate();
    }
    return LocalDate.parse(s);
  }
}
