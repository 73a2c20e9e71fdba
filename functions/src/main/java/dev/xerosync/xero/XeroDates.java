package dev.xerosync.xero;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Xero's JSON dates: {@code /Date(1539993600000+0000)/}, milliseconds since the epoch, negative
 * before 1970, and {@code /Date(0)/} for "no date" on some records. Date-only fields also come as a
 * {@code DateString} in the organisation's calendar, which is preferred when present.
 */
public final class XeroDates {
  private static final Pattern MS_DATE = Pattern.compile("^/Date\\((-?\\d+)([+-]\\d{4})?\\)/$");

  private XeroDates() {}

  public static @Nullable Instant instant(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = MS_DATE.matcher(value.trim());
    if (m.matches()) {
      return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
    }
    // ISO forms appear in DateString fields and webhook payloads; Xero omits the zone but means
    // UTC.
    String iso = value.trim();
    if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:\\d{2}$")) {
      return java.time.OffsetDateTime.parse(iso).toInstant();
    }
    return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
  }

  /**
   * A calendar date, from the ISO DateString when given, otherwise from the /Date()/ value at UTC.
   */
  public static @Nullable LocalDate date(@Nullable String dateString, @Nullable String msDate) {
    if (dateString != null && !dateString.isBlank()) {
      String s = dateString.trim();
      return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    }
    Instant instant = instant(msDate);
    return instant == null ? null : LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }
}
