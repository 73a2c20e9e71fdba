package dev.xerosync.infra.xero.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one Jackson mapper, plus the date and money spellings Xero's accounting and identity APIs
 * use.
 */
public final class XeroJson {
  // Exact decimals: Xero writes money with its scale (46.00), which the default node factory would
  // strip to 46.
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static final DateTimeFormatter DATE_STRING =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  // Identity (connections) timestamps: .NET "o" format without the zone, 7 fractional digits.
  private static final DateTimeFormatter SEVEN_DIGITS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
  // Webhook eventDateUtc: milliseconds, no zone.
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

  private XeroJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * A calendar date as Xero's WCF-style JSON date: midnight UTC in epoch millis, negative before
   * 1970.
   */
  public static String msDate(LocalDate date) {
    return "/Date(" + date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + "+0000)/";
  }

  /** A UTC timestamp as entity fields carry it (UpdatedDateUTC): with the +0000 offset. */
  public static String msDateTime(Instant instant) {
    return "/Date(" + instant.toEpochMilli() + "+0000)/";
  }

  /** The envelope's DateTimeUTC is written without an offset. */
  public static String msDateTimeBare(Instant instant) {
    return "/Date(" + instant.toEpochMilli() + ")/";
  }

  public static Instant parseMsDate(String s) {
    Matcher m = MS_DATE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a /Date()/ value: " + s);
    }
    return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
  }

  public static String dateString(LocalDate date) {
    return DATE_STRING.format(date.atStartOfDay());
  }

  public static String connectionTimestamp(Instant instant) {
    return SEVEN_DIGITS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  public static String eventTimestamp(Instant instant) {
    return MILLIS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  public static BigDecimal money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_UP);
  }

  public static BigDecimal rate(BigDecimal rate) {
    return rate.setScale(6, RoundingMode.HALF_UP);
  }
}
