package dev.xerosync.outbox;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Xero's invoice element made from our API's invoice body (checked first by {@link WriteRequests}):
 * the fields renamed to Xero's, the shipping as a line of its own, and the lines' fingerprint that
 * tells a resend of unchanged lines from an edit.
 */
final class XeroInvoiceElement {
  /** Our invoice's fields by Xero's names; the totals are the product's claim, checked by Xero. */
  private static final List<Map.Entry<String, String>> INVOICE =
      List.of(
          entry("date", "Date"),
          entry("dueDate", "DueDate"),
          entry("reference", "Reference"),
          entry("currency", "CurrencyCode"),
          entry("lineAmountTypes", "LineAmountTypes"),
          entry("subTotal", "SubTotal"),
          entry("totalTax", "TotalTax"),
          entry("total", "Total"));

  /** A line item's fields by Xero's names. */
  private static final List<Map.Entry<String, String>> LINE =
      List.of(
          entry("description", "Description"),
          entry("quantity", "Quantity"),
          entry("unitAmount", "UnitAmount"),
          entry("discountRate", "DiscountRate"),
          entry("accountCode", "AccountCode"),
          entry("taxType", "TaxType"),
          entry("itemCode", "ItemCode"));

  /** Shipping's line: its description and quantity 1 are set first, so they are not mapped here. */
  private static final List<Map.Entry<String, String>> SHIPPING =
      List.of(
          entry("amount", "UnitAmount"),
          entry("accountCode", "AccountCode"),
          entry("taxType", "TaxType"));

  private XeroInvoiceElement() {}

  /** Xero's invoice element for a create or an update; line items only when {@code withLines}. */
  static ObjectNode of(
      JsonNode body,
      String externalId,
      @Nullable String contactId,
      @Nullable String status,
      boolean withLines,
      @Nullable String invoiceId) {
    ObjectNode x = Json.MAPPER.createObjectNode();
    if (invoiceId != null) {
      x.put("InvoiceID", invoiceId);
    } else {
      x.put("Type", "ACCREC");
      x.put("InvoiceNumber", externalId);
    }
    if (contactId != null) {
      x.putObject("Contact").put("ContactID", contactId);
    }
    copy(body, INVOICE, x);
    if (withLines) {
      x.set("LineItems", lines(body));
    }
    if (status != null) {
      x.put("Status", status);
    }
    return x;
  }

  static ArrayNode lines(JsonNode body) {
    ArrayNode lines = Json.MAPPER.createArrayNode();
    for (JsonNode l : body.path("lineItems")) {
      copy(l, LINE, lines.addObject());
    }
    JsonNode s = body.get("shipping");
    if (s != null) {
      ObjectNode x = lines.addObject();
      x.put("Description", s.path("description").asText("Shipping and handling"));
      x.put("Quantity", 1);
      copy(s, SHIPPING, x);
    }
    return lines;
  }

  /** Identifies a set of lines, so a resend of unchanged lines is not an edit. */
  static String linesFingerprint(JsonNode body) {
    return Integer.toHexString(lines(body).toString().hashCode());
  }

  /**
   * Copies each field {@code from} has (and is not null) under Xero's name, in the list's order:
   * the order is part of the lines' fingerprint, which links store.
   */
  private static void copy(JsonNode from, List<Map.Entry<String, String>> fields, ObjectNode to) {
    for (Map.Entry<String, String> f : fields) {
      JsonNode v = from.get(f.getKey());
      if (v != null && !v.isNull()) {
        to.set(f.getValue(), v);
      }
    }
  }
}
