package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.IsoDates;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.common.QueryChecks;
import dev.xerosync.common.Requests;
import dev.xerosync.store.InvoiceView;
import dev.xerosync.store.PageCursor;
import dev.xerosync.store.RecordLinks;
import dev.xerosync.store.ViewQuery;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One API Gateway request, read and checked: every bad value becomes a {@link Problem} that says
 * how to fix it.
 */
final class ApiRequest {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final Set<String> XERO_STATUSES =
      Set.of("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED");

  /** The query parameters of every invoice listing. */
  static final Set<String> LIST_PARAMS =
      Set.of(
          "view",
          "status",
          "type",
          "currency",
          "from",
          "to",
          "number",
          "match",
          "limit",
          "cursor",
          "creditNotes");

  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private final APIGatewayProxyRequestEvent event;

  ApiRequest(APIGatewayProxyRequestEvent event) {
    this.event = event;
  }

  String route() {
    return event.getHttpMethod() + " " + event.getResource();
  }

  /**
   * Header names are case-insensitive (RFC 9110), and API Gateway passes them as the client sent
   * them.
   */
  @Nullable String header(String name) {
    return Requests.header(event, name);
  }

  /** The event as API Gateway passed it (its authorizer context is {@code auth}'s to read). */
  APIGatewayProxyRequestEvent event() {
    return event;
  }

  /** The bearer credential of an Authorization header, or null. */
  @Nullable String bearer() {
    return Requests.bearer(event);
  }

  Map<String, String> pathParameters() {
    return event.getPathParameters() == null ? Map.of() : event.getPathParameters();
  }

  static boolean isUuidText(String s) {
    try {
      uuid("id", s);
      return true;
    } catch (Problem e) {
      return false;
    }
  }

  String path(String name) throws Problem {
    Map<String, String> params = event.getPathParameters();
    String value = params == null ? null : params.get(name);
    if (value == null || value.isEmpty()) {
      throw Problem.invalid("path parameter " + name + " is missing");
    }
    return value;
  }

  /** A Xero id from the path, in canonical lower-case form. */
  String uuid(String name) throws Problem {
    String value = path(name);
    return uuid(name, value);
  }

  static String uuid(String name, String value) throws Problem {
    return QueryChecks.uuid(name, value);
  }

  String recordType() throws Problem {
    String value = path("recordType");
    if (!Set.of("contact", "account", "deal").contains(value)) {
      throw Problem.invalid(
          "recordType must be contact, account or deal (lower case), not '"
              + truncate(value)
              + "'");
    }
    return value;
  }

  String recordId() throws Problem {
    String value = path("recordId");
    if (!RECORD_ID.matcher(value).matches()) {
      throw Problem.invalid(
          "recordId must be 1 to 128 characters of letters, digits and . _ : @ -, not '"
              + truncate(value)
              + "'");
    }
    return value;
  }

  /** Refuses query parameters the route does not know, so a typo is not silently ignored. */
  void onlyParams(Set<String> allowed) throws Problem {
    QueryChecks.onlyParams(event, allowed);
  }

  @Nullable String query(String name) {
    Map<String, String> q = event.getQueryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null ? null : v.trim();
  }

  int intQuery(String name, int fallback, int min, int max) throws Problem {
    return QueryChecks.intParam(name, query(name), fallback, min, max);
  }

  boolean boolQuery(String name, boolean fallback) throws Problem {
    String raw = query(name);
    if (raw == null) {
      return fallback;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw Problem.invalid(name + " must be true or false, not '" + truncate(raw) + "'");
    };
  }

  @Nullable LocalDate dateQuery(String name) throws Problem {
    String raw = query(name);
    if (raw == null) {
      return null;
    }
    Optional<LocalDate> date = IsoDates.parse(raw);
    if (date.isPresent()) {
      return date.get();
    }
    throw Problem.invalid(
        name
            + " must be a date as yyyy-MM-dd from 0000-01-01 to 9999-12-31, such as 2024-03-31, not '"
            + truncate(raw)
            + "'");
  }

  @Nullable String currencyQuery(String name) throws Problem {
    String raw = query(name);
    if (raw == null) {
      return null;
    }
    String upper = raw.toUpperCase(Locale.ROOT);
    if (!CURRENCY.matcher(upper).matches()) {
      throw Problem.invalid(
          name + " must be an ISO 4217 currency code such as NZD, not '" + truncate(raw) + "'");
    }
    return upper;
  }

  /** One of {@code allowed} (case-insensitive), returned as spelled in {@code allowed}. */
  @Nullable String oneOf(String name, @Nullable String fallback, Set<String> allowed)
      throws Problem {
    String raw = query(name);
    if (raw == null) {
      return fallback;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(raw)) {
        return a;
      }
    }
    throw Problem.invalid(
        name
            + " must be one of "
            + String.join(", ", new TreeSet<>(allowed))
            + ", not '"
            + truncate(raw)
            + "'");
  }

  /** A comma-separated list of values from {@code allowed} (case-insensitive). */
  Set<String> listQuery(String name, Set<String> allowed) throws Problem {
    String raw = query(name);
    if (raw == null) {
      return Set.of();
    }
    Set<String> values = new TreeSet<>();
    for (String part : raw.split(",")) {
      String v = part.trim().toUpperCase(Locale.ROOT);
      if (!allowed.contains(v)) {
        throw Problem.invalid(
            name
                + " must be a comma-separated list of "
                + String.join(", ", new TreeSet<>(allowed))
                + "; '"
                + truncate(part.trim())
                + "' is not one of them");
      }
      values.add(v);
    }
    return values;
  }

  /** The JSON object body of a POST. */
  JsonNode jsonBody() throws Problem {
    String body = event.getBody();
    if (body == null || body.isBlank()) {
      throw Problem.invalid(
          "the request body is missing; send a JSON object, see the OpenAPI document");
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (Exception e) {
      // Falls through to the message below.
    }
    throw Problem.invalid(
        "the request body must be a JSON object, such as {\"contactId\": \"4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d\"}");
  }

  /** The record in the path: its type and its id in the CRM. */
  RecordLinks.Record record() throws Problem {
    return new RecordLinks.Record(recordType(), recordId());
  }

  /**
   * The type parameter: ACCREC (sales invoices, the default: what customers are invoiced), ACCPAY
   * (bills) or ANY (null).
   */
  @Nullable String typeParam(String fallback) throws Problem {
    String type = oneOf("type", fallback, Set.of("ACCREC", "ACCPAY", "ANY"));
    return "ANY".equals(type) ? null : type;
  }

  /** A listing's view, filters and page size, as the query parameters give them. */
  ViewQuery viewQuery(LocalDate today, Set<String> allowedViews) throws Problem {
    String number = query("number");
    // '#' separates the parts of the index key a number search reads, and control characters are
    // never part of an invoice number: either would match something other than a number.
    if (number != null
        && (number.isEmpty()
            || number.length() > 64
            || number.indexOf('#') >= 0
            || number.chars().anyMatch(Character::isISOControl))) {
      throw Problem.invalid(
          "number must be 1 to 64 characters of an invoice number without '#' or control"
              + " characters, or a prefix of one, such as INV-00");
    }
    String match = oneOf("match", null, Set.of("prefix", "exact"));
    if (match != null && number == null) {
      throw Problem.invalid(
          "match applies to an invoice number search; pass number too, or leave match out");
    }
    Set<String> statuses = listQuery("status", XERO_STATUSES);
    String viewName = oneOf("view", null, allowedViews);
    // A number search or a status filter looks across views unless a view is named.
    InvoiceView view =
        viewName != null
            ? InvoiceView.valueOf(viewName.toUpperCase(Locale.ROOT))
            : number != null || !statuses.isEmpty() ? InvoiceView.ALL : InvoiceView.OPEN;
    String type = typeParam(view == InvoiceView.PINNED ? "ANY" : "ACCREC");
    String currency = currencyQuery("currency");
    LocalDate from = dateQuery("from");
    LocalDate to = dateQuery("to");
    if (from != null && to != null && from.isAfter(to)) {
      throw Problem.invalid(
          "from (" + from + ") is after to (" + to + "); the invoice date range must run forwards");
    }
    int limit = intQuery("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String credit =
        Objects.requireNonNullElse(
            oneOf("creditNotes", null, Set.of("exclude", "include", "only")), "exclude");
    ViewQuery.CreditNotes creditNotes =
        ViewQuery.CreditNotes.valueOf(credit.toUpperCase(Locale.ROOT));
    if (creditNotes != ViewQuery.CreditNotes.EXCLUDE && view == InvoiceView.PINNED) {
      throw Problem.invalid(
          "creditNotes applies to the contacts' views; pins hold invoices only, so leave"
              + " creditNotes out with view=pinned");
    }
    return new ViewQuery(
        view,
        statuses,
        type,
        currency,
        from,
        to,
        number,
        "exact".equals(match),
        today,
        limit,
        creditNotes);
  }

  /**
   * The cursor parameter of a view listing, checked to belong to this listing and to partitions of
   * the contacts {@code contact} accepts, in this tenant.
   */
  PageCursor.State viewCursor(ViewQuery q, String tenantId, Predicate<String> contact)
      throws Problem {
    ViewQuery.Index index = q.index();
    return cursor(
        q.listing(),
        new LinkedHashSet<>(List.of(index.partitionAttribute, index.sortAttribute, "pk", "sk")),
        index.partitionAttribute,
        name -> q.sourcePartition(tenantId, name, contact),
        name -> ViewQuery.sourceItemPkPrefix(tenantId, name));
  }

  /** The cursor parameter, checked to belong to {@code listing}; see {@link PageCursor}. */
  PageCursor.State cursor(
      String listing,
      Set<String> keyAttributes,
      String partitionAttribute,
      Function<String, String> expectedPartition,
      String itemPkPrefix)
      throws Problem {
    return cursor(
        listing, keyAttributes, partitionAttribute, expectedPartition, name -> itemPkPrefix);
  }

  private PageCursor.State cursor(
      String listing,
      Set<String> keyAttributes,
      String partitionAttribute,
      Function<String, String> expectedPartition,
      Function<String, String> itemPkPrefix)
      throws Problem {
    try {
      return PageCursor.decode(
          query("cursor"),
          listing,
          keyAttributes,
          partitionAttribute,
          expectedPartition,
          itemPkPrefix);
    } catch (PageCursor.InvalidCursor e) {
      throw Problem.invalid(e.getMessage());
    }
  }

  /** The one string field of a JSON body such as {@code {"contactId": "..."}}. */
  String bodyField(String field) throws Problem {
    JsonNode body = jsonBody();
    var names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals(field)) {
        throw Problem.invalid(
            "the request body has an unknown field '"
                + truncate(name)
                + "'; send only {\""
                + field
                + "\": \"...\"}");
      }
    }
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw Problem.invalid(
          "the request body needs "
              + field
              + " as a string, such as {\""
              + field
              + "\": \"4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d\"}");
    }
    return v.asText();
  }

  static Set<String> with(Set<String> set, String extra) {
    Set<String> s = new LinkedHashSet<>(set);
    s.add(extra);
    return s;
  }

  static String truncate(String s) {
    return QueryChecks.truncate(s);
  }
}
