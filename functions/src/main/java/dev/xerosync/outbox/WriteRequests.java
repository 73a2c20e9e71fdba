package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.IsoDates;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shapes of our write API's bodies, checked when a write is accepted (so a malformed one is a
 * 400, never an operation); {@link XeroInvoiceElement} turns an invoice's into Xero's JSON.
 */
final class WriteRequests {
  /** Xero's InvoiceNumber, ContactNumber and Reference fields hold 255 characters at most. */
  static final int MAX_ID_LENGTH = 255;

  static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._:#/+-]{1,255}");
  static final Set<String> INVOICE_STATUSES = Set.of("DRAFT", "SUBMITTED", "AUTHORISED");
  static final Set<String> LINE_AMOUNT_TYPES = Set.of("Exclusive", "Inclusive", "NoTax");

  // The fields of each body, as openapi.yaml's write schemas list them (additionalProperties:
  // false): a field we do not know is refused rather than dropped, so nothing asked for is lost.
  static final Set<String> CONTACT_REF_FIELDS =
      Set.of(
          "externalId",
          "xeroContactId",
          "name",
          "firstName",
          "lastName",
          "email",
          "phone",
          "billingAddress");
  static final Set<String> INVOICE_FIELDS =
      Set.of(
          "contact",
          "status",
          "date",
          "dueDate",
          "currency",
          "reference",
          "lineAmountTypes",
          "lineItems",
          "shipping",
          "subTotal",
          "totalTax",
          "total",
          "skipAccounting",
          "type");
  static final Set<String> LINE_FIELDS =
      Set.of(
          "description",
          "quantity",
          "unitAmount",
          "discountRate",
          "accountCode",
          "taxType",
          "itemCode");
  static final Set<String> SHIPPING_FIELDS =
      Set.of("description", "amount", "accountCode", "taxType");
  static final Set<String> PAYMENT_FIELDS =
      Set.of("paymentId", "amount", "date", "accountCode", "currency");
  static final Set<String> DEPOSIT_FIELDS =
      Set.of(
          "depositId",
          "amount",
          "date",
          "accountCode",
          "taxType",
          "description",
          "contact",
          "lineAmountTypes");
  static final Set<String> CONTACT_FIELDS =
      Set.of("name", "firstName", "lastName", "email", "phone", "billingAddress");

  static final Set<String> SETTINGS_FIELDS =
      Set.of("paymentAccountCode", "depositAccountCode", "depositContact", "invoiceStatus");
  static final Set<String> HISTORY_FIELDS = Set.of("pushId", "invoices");

  /**
   * Decimal places Xero keeps: 4 for a line's UnitAmount and Quantity (the spec's {@code unitdp=4}
   * "four decimal places for unit amounts"), 2 for every other amount (xero_accounting.yaml,
   * parameters.unitdp; Xero's Invoices docs: "Amounts ... are rounded to two decimal places").
   */
  static final int UNIT_SCALE = 4;

  static final int AMOUNT_SCALE = 2;

  /**
   * Xero's spec types every amount as {@code format: double}: a value must come back from a double
   * unchanged, so at most 15 significant digits (which also refuses 1e400).
   */
  static final int MAX_DIGITS = 15;

  /** Xero's EmailAddress holds 255 characters (xero_accounting.yaml, Contact.EmailAddress). */
  static final int MAX_EMAIL_LENGTH = 255;

  /** An address with no scheme, spaces or markup: refuses {@code javascript:...} and the like. */
  static final Pattern EMAIL =
      Pattern.compile("[^@\\s:;<>()\\[\\]\\\\\",]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  private WriteRequests() {}

  /** A body that cannot become an operation; the message says what to fix. */
  static final class InvalidWrite extends Exception {
    InvalidWrite(String message) {
      super(message);
    }

    /** Never null: every refusal says what is wrong. */
    @Override
    public String getMessage() {
      return Objects.requireNonNull(super.getMessage(), "an InvalidWrite has a message");
    }
  }

  /** Returns the id, now known to be one. */
  static String checkExternalId(String what, @Nullable String id) throws InvalidWrite {
    if (id == null || !EXTERNAL_ID.matcher(id).matches()) {
      throw new InvalidWrite(
          what
              + " must be 1 to 255 characters of letters, digits and . _ : # / + -; got "
              + (id == null ? "none" : "'" + id + "'"));
    }
    return id;
  }

  /** Xero's ContactNumber holds 50 characters at most. */
  static void checkContactId(String what, @Nullable String id) throws InvalidWrite {
    if (checkExternalId(what, id).length() > 50) {
      throw new InvalidWrite(what + " is kept as Xero's ContactNumber, which holds 50 characters");
    }
  }

  static void checkInvoice(JsonNode body) throws InvalidWrite {
    object(body, "the invoice");
    known(body, "", INVOICE_FIELDS);
    optionalEnum(body, "status", INVOICE_STATUSES);
    optionalEnum(body, "lineAmountTypes", LINE_AMOUNT_TYPES);
    optionalDate(body, "date");
    optionalDate(body, "dueDate");
    optionalText(body, "reference", MAX_ID_LENGTH, "");
    currency(body);
    if (body.has("type") && !"ACCREC".equals(body.get("type").asText())) {
      throw new InvalidWrite("type must be ACCREC (a sales invoice); bills are not written back");
    }
    if (body.has("skipAccounting") && !body.get("skipAccounting").isBoolean()) {
      throw new InvalidWrite("skipAccounting must be true or false");
    }
    JsonNode contact = body.get("contact");
    if (contact != null) {
      checkContactRef(contact);
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
        known(line, at + ".", LINE_FIELDS);
        if (!line.hasNonNull("description") && !line.hasNonNull("itemCode")) {
          throw new InvalidWrite(at + " needs a description or an itemCode");
        }
        optionalAmount(line, "quantity", at + ".", UNIT_SCALE);
        optionalAmount(line, "unitAmount", at + ".", UNIT_SCALE);
        optionalAmount(line, "discountRate", at + ".", AMOUNT_SCALE);
      }
    }
    JsonNode shipping = body.get("shipping");
    if (shipping != null) {
      object(shipping, "shipping");
      known(shipping, "shipping.", SHIPPING_FIELDS);
      if (!shipping.hasNonNull("amount")) {
        throw new InvalidWrite("shipping needs an amount");
      }
      optionalAmount(shipping, "amount", "shipping.", AMOUNT_SCALE);
    }
    for (String claimed : List.of("subTotal", "totalTax", "total")) {
      optionalAmount(body, claimed, "", AMOUNT_SCALE);
      if (body.hasNonNull(claimed) && body.get(claimed).decimalValue().signum() < 0) {
        throw new InvalidWrite(
            claimed + " is negative: a Xero invoice cannot be; send a credit note instead");
      }
    }
    // A discount outside 0 to 100 is left to Xero, whose DISCOUNT_INVALID says so in its words.
    if (body.has("lineItems") && discountsInRange(body) && WriteRules.linesNet(body).signum() < 0) {
      throw new InvalidWrite(
          "lineItems come to a negative total: a Xero invoice cannot be; send a credit note"
              + " instead");
    }
  }

  private static boolean discountsInRange(JsonNode body) {
    for (JsonNode line : body.path("lineItems")) {
      BigDecimal d = line.path("discountRate").decimalValue();
      if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(100)) > 0) {
        return false;
      }
    }
    return true;
  }

  /** An invoice's or a deposit's contact: ours by externalId, or Xero's by xeroContactId. */
  private static void checkContactRef(JsonNode contact) throws InvalidWrite {
    checkContactRef(contact, "contact");
  }

  private static void checkContactRef(JsonNode contact, String name) throws InvalidWrite {
    object(contact, name);
    known(contact, name + ".", CONTACT_REF_FIELDS);
    if (contact.hasNonNull("externalId")) {
      checkContactId(name + ".externalId", contact.get("externalId").asText());
    } else if (!contact.hasNonNull("xeroContactId")) {
      throw new InvalidWrite(
          name
              + " needs externalId (our customer id, kept as Xero's ContactNumber) or"
              + " xeroContactId");
    }
    contactFields(contact, name + ".");
  }

  /**
   * Xero's Name, FirstName and LastName hold 255 characters; EmailAddress, the phone and the
   * billing address are checked below.
   */
  private static void contactFields(JsonNode c, String at) throws InvalidWrite {
    optionalText(c, "name", 255, at);
    optionalText(c, "firstName", 255, at);
    optionalText(c, "lastName", 255, at);
    optionalText(c, "phone", ContactFields.MAX_PHONE_LENGTH, at);
    JsonNode address = c.get("billingAddress");
    if (address != null) {
      object(address, at + "billingAddress");
      known(address, at + "billingAddress.", ContactFields.ADDRESS_LIMITS.keySet());
      for (var f : ContactFields.ADDRESS_LIMITS.entrySet()) {
        optionalText(address, f.getKey(), f.getValue(), at + "billingAddress.");
      }
    }
    if (c.hasNonNull("email")) {
      String email = c.get("email").asText();
      if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
        throw new InvalidWrite(
            at
                + "email must be an address such as name@example.com, at most "
                + MAX_EMAIL_LENGTH
                + " characters");
      }
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
    known(body, "", HISTORY_FIELDS);
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
      ObjectNode fields = invoice.deepCopy();
      fields.remove("invoiceId");
      checkExternalId(at + ".invoiceId", id);
      if (!seen.add(id)) {
        throw new InvalidWrite(at + ".invoiceId " + id + " appears twice in the push");
      }
      try {
        checkInvoice(fields);
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
    known(body, "", PAYMENT_FIELDS);
    checkExternalId("paymentId", text(body, "paymentId"));
    requiredPositive(body, "amount", "the payment");
    optionalDate(body, "date");
    currency(body);
  }

  static void checkDeposit(JsonNode body) throws InvalidWrite {
    object(body, "the deposit");
    known(body, "", DEPOSIT_FIELDS);
    checkExternalId("depositId", text(body, "depositId"));
    requiredPositive(body, "amount", "the deposit");
    optionalDate(body, "date");
    optionalEnum(body, "lineAmountTypes", LINE_AMOUNT_TYPES);
    if (body.hasNonNull("contact")) {
      checkContactRef(body.get("contact"));
    }
    if (!body.hasNonNull("accountCode")) {
      throw new InvalidWrite(
          "accountCode is required: the revenue or clearing account the deposit is coded to");
    }
  }

  static void checkContact(JsonNode body) throws InvalidWrite {
    object(body, "the contact");
    known(body, "", CONTACT_FIELDS);
    if (!body.hasNonNull("name") || body.get("name").asText().isBlank()) {
      throw new InvalidWrite("name is required: Xero needs a unique name for every contact");
    }
    contactFields(body, "");
  }

  /** A void takes no fields: an empty body or {@code {}}. */
  static void checkVoid(JsonNode body) throws InvalidWrite {
    object(body, "the void");
    known(body, "", Set.of());
  }

  static void checkSettings(JsonNode body) throws InvalidWrite {
    object(body, "the accounting set-up");
    known(body, "", SETTINGS_FIELDS);
    if (!body.hasNonNull("paymentAccountCode")) {
      throw new InvalidWrite(
          "paymentAccountCode is required: the account payments go into (a bank account, or an"
              + " 'Undeposited Funds' current asset with payments enabled)");
    }
    optionalEnum(body, "invoiceStatus", Set.of("DRAFT", "AUTHORISED"));
    if (body.has("depositContact")) {
      checkContactRef(body.get("depositContact"), "depositContact");
    }
  }

  static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
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

  /** A field the body's schema does not have is named and refused, never dropped. */
  private static void known(JsonNode n, String at, Set<String> fields) throws InvalidWrite {
    for (var names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new InvalidWrite(
            at + name + " is not a field of this request; the fields are " + new TreeSet<>(fields));
      }
    }
  }

  private static void currency(JsonNode body) throws InvalidWrite {
    if (body.has("currency") && !body.get("currency").asText().matches("[A-Z]{3}")) {
      throw new InvalidWrite("currency must be a 3-letter ISO 4217 code such as NZD");
    }
  }

  /** A date Xero can hold, by the one rule the query API also applies ({@link IsoDates}). */
  private static void optionalDate(JsonNode n, String field) throws InvalidWrite {
    if (!n.hasNonNull(field)) {
      return;
    }
    if (!n.get(field).isTextual() || IsoDates.parseForXero(n.get(field).asText()).isEmpty()) {
      throw new InvalidWrite(
          field
              + " must be a date as YYYY-MM-DD from 0001-01-01 to 9999-12-31; got "
              + n.get(field));
    }
  }

  private static void optionalText(JsonNode n, String field, int max, String at)
      throws InvalidWrite {
    if (n.has(field) && n.get(field).asText().length() > max) {
      throw new InvalidWrite(at + field + " is longer than " + max + " characters");
    }
  }

  /**
   * A number Xero keeps as sent: at most {@code scale} decimals and {@value #MAX_DIGITS} digits.
   */
  private static void optionalAmount(JsonNode n, String field, String at, int scale)
      throws InvalidWrite {
    if (!n.has(field)) {
      return;
    }
    JsonNode v = n.get(field);
    if (!v.isNumber()) {
      throw new InvalidWrite(at + field + " must be a number; got " + v);
    }
    BigDecimal d = v.decimalValue().stripTrailingZeros();
    if (Math.max(d.scale(), 0) > scale) {
      throw new InvalidWrite(
          at + field + " has more than " + scale + " decimal places, which Xero does not keep");
    }
    if (d.abs().compareTo(BigDecimal.TEN.pow(MAX_DIGITS - scale)) >= 0) {
      throw new InvalidWrite(at + field + " is out of the range Xero takes; got " + v);
    }
  }

  private static void requiredPositive(JsonNode n, String field, String what) throws InvalidWrite {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || v.decimalValue().signum() <= 0) {
      throw new InvalidWrite(what + " needs a positive " + field);
    }
    optionalAmount(n, field, "", AMOUNT_SCALE);
  }
}
