package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shapes of our write API's bodies, checked when a write is accepted (so a malformed one is a
 * 400, never an operation), and their translation into Xero's JSON when it is sent.
 */
final class WriteRequests {
  /** Xero's InvoiceNumber, ContactNumber and Reference fields hold 255 characters at most. */
  static final int MAX_ID_LENGTH = 255;

  static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._:#/+-]{1,255}");
  static final Set<String> INVOICE_STATUSES = Set.of("DRAFT", "SUBMITTED", "AUTHORISED");
  static final Set<String> LINE_AMOUNT_TYPES = Set.of("Exclusive", "Inclusive", "NoTax");

  private WriteRequests() {}

  /** A body that cannot become an operation; the message says what to fix. */
  static final class InvalidWrite extends Exception {
    InvalidWrite(String message) {
      super(message);
    }
  }

  static void checkExternalId(String what, String id) throws InvalidWrite {
    if (id == null || !EXTERNAL_ID.matcher(id).matches()) {
      throw new InvalidWrite(
          what
              + " must be 1 to 255 characters of letters, digits and . _ : # / + -; got "
              + (id == null ? "none" : "'" + id + "'"));
    }
  }

  /** Xero's ContactNumber holds 50 characters at most. */
  static void checkContactId(String what, String id) throws InvalidWrite {
    checkExternalId(what, id);
    if (id.length() > 50) {
      throw new InvalidWrite(what + " is kept as Xero's ContactNumber, which holds 50 characters");
    }
  }

  static void checkInvoice(JsonNode body) throws InvalidWrite {
    object(body, "the invoice");
    optionalEnum(body, "status", INVOICE_STATUSES);
    optionalEnum(body, "lineAmountTypes", LINE_AMOUNT_TYPES);
    optionalDate(body, "date");
    optionalDate(body, "dueDate");
    optionalText(body, "reference", MAX_ID_LENGTH);
    if (body.has("currency") && !body.get("currency").asText().matches("[A-Z]{3}")) {
      throw new InvalidWrite("currency must be a 3-letter ISO 4217 code such as NZD");
    }
    if (body.has("type") && !"ACCREC".equals(body.get("type").asText())) {
      throw new InvalidWrite("type must be ACCREC (a sales invoice); bills are not written back");
    }
    if (body.has("skipAccounting") && !body.get("skipAccounting").isBoolean()) {
      throw new InvalidWrite("skipAccounting must be true or false");
    }
    JsonNode contact = body.get("contact");
    if (contact != null) {
      object(contact, "contact");
      if (contact.hasNonNull("externalId")) {
        checkContactId("contact.externalId", contact.get("externalId").asText());
      } else if (!contact.hasNonNull("xeroContactId")) {
        throw new InvalidWrite(
            "contact needs externalId (our customer id, kept as Xero's ContactNumber) or"
                + " xeroContactId");
      }
    }
    JsonNode lines = body.get("lineItems");
    if (lines != null) {
      if (!lines.isArray() || lines.isEmpty()) {
        throw new InvalidWrite("lineItems must be a non-empty array");
      }
      int i = 0;
      for (JsonNode line : lines) {
        String at = "lineItems[" + i++ + "]";
        object(line, at);
        if (!line.hasNonNull("description") && !line.hasNonNull("itemCode")) {
          throw new InvalidWrite(at + " needs a description or an itemCode");
        }
        optionalNumber(line, "quantity", at);
        optionalNumber(line, "unitAmount", at);
        optionalNumber(line, "discountRate", at);
      }
    }
    JsonNode shipping = body.get("shipping");
    if (shipping != null) {
      object(shipping, "shipping");
      if (!shipping.hasNonNull("amount")) {
        throw new InvalidWrite("shipping needs an amount");
      }
      optionalNumber(shipping, "amount", "shipping");
    }
  }

  /**
   * Invoices per history push: two of Xero's 50-element batches, and well inside a DynamoDB item
   * (400 KB) with each invoice's outcome beside it.
   */
  static final int MAX_HISTORY_INVOICES = 100;

  /** The history push's body as stored; bigger would crowd the outbox item. */
  static final int MAX_HISTORY_CHARS = 200_000;

  /**
   * A history push: {@code pushId} and up to {@value #MAX_HISTORY_INVOICES} new invoices, each with
   * its own {@code invoiceId} and a contact, checked as {@code PUT /invoices/{id}} checks one.
   */
  static void checkHistory(JsonNode body) throws InvalidWrite {
    object(body, "the history push");
    checkExternalId("pushId", text(body, "pushId"));
    JsonNode invoices = body.get("invoices");
    if (invoices == null || !invoices.isArray() || invoices.isEmpty()) {
      throw new InvalidWrite("invoices must be a non-empty array of invoices");
    }
    if (invoices.size() > MAX_HISTORY_INVOICES) {
      throw new InvalidWrite(
          "a history push holds at most "
              + MAX_HISTORY_INVOICES
              + " invoices; got "
              + invoices.size()
              + ". Split it into several pushes.");
    }
    if (body.toString().length() > MAX_HISTORY_CHARS) {
      throw new InvalidWrite(
          "a history push holds at most " + MAX_HISTORY_CHARS / 1000 + " KB; split it");
    }
    Set<String> seen = new java.util.HashSet<>();
    int i = 0;
    for (JsonNode invoice : invoices) {
      String at = "invoices[" + i++ + "]";
      object(invoice, at);
      String id = text(invoice, "invoiceId");
      checkExternalId(at + ".invoiceId", id);
      if (!seen.add(id)) {
        throw new InvalidWrite(at + ".invoiceId " + id + " appears twice in the push");
      }
      try {
        checkInvoice(invoice);
      } catch (InvalidWrite e) {
        throw new InvalidWrite(at + ": " + e.getMessage());
      }
      if (!invoice.has("contact")) {
        throw new InvalidWrite(at + " needs a contact: every invoice in a history push is new");
      }
      if (!invoice.has("lineItems")) {
        throw new InvalidWrite(at + " needs lineItems: every invoice in a history push is new");
      }
      if (invoice.path("skipAccounting").asBoolean(false)) {
        throw new InvalidWrite(
            at + " has skipAccounting: leave an invoice out of the push to keep it out of Xero");
      }
    }
  }

  static void checkPayment(JsonNode body) throws InvalidWrite {
    object(body, "the payment");
    checkExternalId("paymentId", text(body, "paymentId"));
    BigDecimal amount = requiredPositive(body, "amount", "the payment");
    if (amount.scale() > 2) {
      throw new InvalidWrite("amount has at most 2 decimal places");
    }
    optionalDate(body, "date");
  }

  static void checkDeposit(JsonNode body) throws InvalidWrite {
    object(body, "the deposit");
    checkExternalId("depositId", text(body, "depositId"));
    requiredPositive(body, "amount", "the deposit");
    optionalDate(body, "date");
    if (!body.hasNonNull("accountCode")) {
      throw new InvalidWrite(
          "accountCode is required: the revenue or clearing account the deposit is coded to");
    }
  }

  static void checkContact(JsonNode body) throws InvalidWrite {
    object(body, "the contact");
    if (!body.hasNonNull("name") || body.get("name").asText().isBlank()) {
      throw new InvalidWrite("name is required: Xero needs a unique name for every contact");
    }
    optionalText(body, "name", 255);
  }

  static void checkSettings(JsonNode body) throws InvalidWrite {
    object(body, "the accounting set-up");
    if (!body.hasNonNull("paymentAccountCode")) {
      throw new InvalidWrite(
          "paymentAccountCode is required: the account payments go into (a bank account, or an"
              + " 'Undeposited Funds' current asset with payments enabled)");
    }
    optionalEnum(body, "invoiceStatus", Set.of("DRAFT", "AUTHORISED"));
  }

  /** Xero's invoice element for a create or an update; line items only when {@code withLines}. */
  static ObjectNode xeroInvoice(
      JsonNode body,
      String externalId,
      String contactId,
      String status,
      boolean withLines,
      String invoiceId) {
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
      x.set("LineItems", xeroLines(body));
    }
    if (status != null) {
      x.put("Status", status);
    }
    return x;
  }

  static ArrayNode xeroLines(JsonNode body) {
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
    return Integer.toHexString(xeroLines(body).toString().hashCode());
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String xeroField) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(xeroField, v);
    }
  }

  private static void object(JsonNode n, String what) throws InvalidWrite {
    if (n == null || !n.isObject()) {
      throw new InvalidWrite(what + " must be a JSON object");
    }
  }

  private static void optionalEnum(JsonNode n, String field, Set<String> allowed)
      throws InvalidWrite {
    if (n.has(field) && !allowed.contains(n.get(field).asText())) {
      throw new InvalidWrite(field + " must be one of " + allowed + "; got " + n.get(field));
    }
  }

  private static void optionalDate(JsonNode n, String field) throws InvalidWrite {
    if (!n.hasNonNull(field)) {
      return;
    }
    try {
      LocalDate.parse(n.get(field).asText());
    } catch (DateTimeParseException e) {
      throw new InvalidWrite(field + " must be a date as YYYY-MM-DD; got " + n.get(field));
    }
  }

  private static void optionalText(JsonNode n, String field, int max) throws InvalidWrite {
    if (n.has(field) && n.get(field).asText().length() > max) {
      throw new InvalidWrite(field + " is longer than " + max + " characters");
    }
  }

  private static void optionalNumber(JsonNode n, String field, String at) throws InvalidWrite {
    if (n.has(field) && !n.get(field).isNumber()) {
      throw new InvalidWrite(at + "." + field + " must be a number; got " + n.get(field));
    }
  }

  private static BigDecimal requiredPositive(JsonNode n, String field, String what)
      throws InvalidWrite {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || v.decimalValue().signum() <= 0) {
      throw new InvalidWrite(what + " needs a positive " + field);
    }
    return v.decimalValue();
  }
}
