package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import org.jspecify.annotations.Nullable;

/**
 * Xero's invoice element made from our API's invoice body (checked first by {@link WriteRequests}):
 * the fields renamed to Xero's, the shipping as a line of its own, and the lines' fingerprint that
 * tells a resend of unchanged lines from an edit.
 */
final class XeroInvoiceElement {
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
    copy(body, "date", x, "Date");
    copy(body, "dueDate", x, "DueDate");
    copy(body, "reference", x, "Reference");
    copy(body, "currency", x, "CurrencyCode");
    copy(body, "lineAmountTypes", x, "LineAmountTypes");
    // Totals are the product's claim; Xero checks them against the lines.
    copy(body, "subTotal", x, "SubTotal");
    copy(body, "totalTax", x, "TotalTax");
    copy(body, "total", x, "Total");
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
      ObjectNode x = lines.addObject();
      copy(l, "description", x, "Description");
      copy(l, "quantity", x, "Quantity");
      copy(l, "unitAmount", x, "UnitAmount");
      copy(l, "discountRate", x, "DiscountRate");
      copy(l, "accountCode", x, "AccountCode");
      copy(l, "taxType", x, "TaxType");
      copy(l, "itemCode", x, "ItemCode");
    }
    JsonNode s = body.get("shipping");
    if (s != null) {
      ObjectNode x = lines.addObject();
      x.put("Description", s.path("description").asText("Shipping and handling"));
      x.put("Quantity", 1);
      copy(s, "amount", x, "UnitAmount");
      copy(s, "accountCode", x, "AccountCode");
      copy(s, "taxType", x, "TaxType");
    }
    return lines;
  }

  /** Identifies a set of lines, so a resend of unchanged lines is not an edit. */
  static String linesFingerprint(JsonNode body) {
    return Integer.toHexString(lines(body).toString().hashCode());
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String xeroField) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(xeroField, v);
    }
  }
}
