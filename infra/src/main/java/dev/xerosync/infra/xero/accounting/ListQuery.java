package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.SimRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Query features shared by the list endpoints: paging, If-Modified-Since and comma-separated
 * filters.
 */
public record ListQuery(Integer page, int pageSize, Instant modifiedSince, boolean summaryOnly) {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  /** Thrown for a malformed parameter; carries Xero's message. */
  public static final class BadQuery extends RuntimeException {
    public BadQuery(String message) {
      super(message);
    }
  }

  public static ListQuery of(SimRequest req) {
    Integer page =
        req.param("page").filter(s -> !s.isBlank()).map(s -> parseInt(s, "page")).orElse(null);
    if (page != null && page < 1) {
      page = 1;
    }
    int size =
        req.param("pageSize")
            .filter(s -> !s.isBlank())
            .map(s -> parseInt(s, "pageSize"))
            .orElse(DEFAULT_PAGE_SIZE);
    // Xero caps pageSize at 1000 rather than refusing larger values.
    size = Math.max(1, Math.min(MAX_PAGE_SIZE, size));
    Instant since = req.header("if-modified-since").map(ListQuery::parseModifiedSince).orElse(null);
    boolean summary = req.param("summaryOnly").map(Boolean::parseBoolean).orElse(false);
    return new ListQuery(page, size, since, summary);
  }

  private static int parseInt(String s, String name) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new BadQuery("The value '" + s + "' is not valid for " + name + ".");
    }
  }

  /**
   * Xero accepts RFC 1123 (the HTTP form) and ISO 8601 with or without offset; no offset means UTC
   * (its docs ask for a UTC timestamp, "accurate to the second":
   * https://developer.xero.com/documentation/api/requests-and-responses). A value it cannot read is
   * ignored, not refused: the read returns everything (issue 28), so a client must send one it can
   * read. Null for such a value.
   */
  public static Instant parseModifiedSince(String v) {
    String s = v.trim();
    try {
      return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException ignored) {
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException ignored) {
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException ignored) {
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
    }
    return null;
  }

  public static Optional<List<String>> csv(SimRequest req, String name) {
    return req.param(name)
        .filter(s -> !s.isBlank())
        .map(
            s ->
                Arrays.stream(s.split(","))
                    .map(String::trim)
                    .map(x -> x.replace("\"", ""))
                    .filter(x -> !x.isEmpty())
                    .toList());
  }

  public boolean paged() {
    return page != null;
  }

  public <T> List<T> slice(List<T> all) {
    if (!paged()) {
      return all;
    }
    int from = (int) Math.min((long) (page - 1) * pageSize, all.size());
    return all.subList(from, Math.min(all.size(), from + pageSize));
  }
}
