package dev.xerosync.infra.xero.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.XeroJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A control request's JSON body, checked strictly: an object, only the fields the route takes, each
 * of its type. Every refusal names the field, so a person at a terminal can fix the request.
 */
final class ControlBody {
  private final ObjectNode node;

  private ControlBody(ObjectNode node) {
    this.node = node;
  }

  /** An empty body reads as {@code {}}; a field outside {@code fields} is refused. */
  static ControlBody parse(SimRequest req, String... fields) {
    byte[] body = req.body();
    if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return new ControlBody(XeroJson.object());
    }
    String type = req.header("content-type").orElse("application/json");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ControlProblem.unsupportedMediaType(
          "the control API takes application/json, not " + type);
    }
    JsonNode parsed;
    try {
      parsed = XeroJson.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw ControlProblem.badRequest("the body is not JSON");
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw ControlProblem.badRequest("the body must be a JSON object");
    }
    Set<String> allowed = Set.of(fields);
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ControlProblem.badRequest(
            "unknown field '"
                + name
                + "'"
                + (fields.length == 0
                    ? "; this route takes no body"
                    : "; this route takes "
                        + String.join(", ", List.of(fields).stream().sorted().toList())));
      }
    }
    return new ControlBody(object);
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** A required, non-blank string. */
  String text(String name) {
    String v = optionalText(name);
    if (v == null) {
      throw ControlProblem.badRequest("'" + name + "' is required");
    }
    return v;
  }

  String optionalText(String name) {
    if (!has(name)) {
      return null;
    }
    JsonNode v = node.get(name);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw ControlProblem.badRequest("'" + name + "' must be a non-empty string");
    }
    return v.asText().trim();
  }

  /** One of {@code values}, as written (case-insensitive). */
  String choice(String name, List<String> values) {
    String v = text(name).toUpperCase(Locale.ROOT);
    if (!values.contains(v)) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be one of " + String.join(", ", values) + ", not " + text(name));
    }
    return v;
  }

  /** An amount of money: a JSON number or a numeric string, above zero, at most 2 decimals. */
  BigDecimal money(String name) {
    if (!has(name)) {
      throw ControlProblem.badRequest("'" + name + "' is required");
    }
    JsonNode v = node.get(name);
    BigDecimal amount;
    try {
      amount = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
    } catch (NumberFormatException e) {
      throw ControlProblem.badRequest("'" + name + "' must be an amount such as \"12.50\"");
    }
    if (v.isBoolean() || amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be above zero with at most 2 decimals, not " + v);
    }
    return amount;
  }

  /** A whole number within {@code min..max}. */
  int count(String name, int min, int max) {
    if (!has(name)) {
      throw ControlProblem.badRequest("'" + name + "' is required");
    }
    JsonNode v = node.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be a whole number from " + min + " to " + max + ", not " + v);
    }
    return v.intValue();
  }

  /** A probability within 0..1. */
  double rate(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be a number from 0 to 1, not " + (v == null ? "missing" : v));
    }
    return v.doubleValue();
  }

  long whole(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ControlProblem.badRequest("'" + name + "' must be a whole number");
    }
    return v.longValue();
  }

  /** An ISO-8601 date (2026-03-31); a missing or null field is null. */
  LocalDate optionalDate(String name) {
    String v = has(name) ? text(name) : null;
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw ControlProblem.badRequest("'" + name + "' must be a date such as 2026-03-31, not " + v);
    }
  }

  LocalDate date(String name) {
    LocalDate d = optionalDate(name);
    if (d == null) {
      throw ControlProblem.badRequest("'" + name + "' is required");
    }
    return d;
  }

  /** A positive ISO-8601 duration (PT90S, PT2H, P1D). */
  Duration duration(String name) {
    String v = text(name);
    Duration d;
    try {
      d = Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be an ISO-8601 duration such as PT1H, not " + v);
    }
    if (d.isNegative() || d.isZero()) {
      throw ControlProblem.badRequest("'" + name + "' must be above zero, not " + v);
    }
    return d;
  }

  /** An ISO-8601 instant in UTC (2026-03-31T09:00:00Z). */
  Instant instant(String name) {
    String v = text(name);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ControlProblem.badRequest(
          "'" + name + "' must be an instant such as 2026-03-31T09:00:00Z, not " + v);
    }
  }

  /** An ISO 4217 currency code. */
  String currency(String name) {
    String v = text(name).toUpperCase(Locale.ROOT);
    try {
      if (v.length() == 3) {
        return Currency.getInstance(v).getCurrencyCode();
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal below
    }
    throw ControlProblem.badRequest(
        "'" + name + "' must be an ISO 4217 code such as USD, not " + v);
  }

  /** Exactly one of the fields is given; returns it. */
  String oneOf(String... names) {
    List<String> given = List.of(names).stream().filter(this::has).toList();
    if (given.size() != 1) {
      throw ControlProblem.badRequest("give exactly one of " + String.join(", ", names));
    }
    return given.getFirst();
  }
}
