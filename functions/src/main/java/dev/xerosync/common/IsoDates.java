package dev.xerosync.common;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for dates our API takes (query filters and write bodies): {@code yyyy-MM-dd} with a
 * four-digit year. {@link LocalDate#parse} alone also reads {@code +10000-01-01} and {@code
 * -0001-01-01}, which the store's keys (dates as text) compare out of order and Xero cannot hold.
 */
public final class IsoDates {
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /**
   * The first date Xero holds: its dates are .NET DateTimes, whose range starts at 0001-01-01
   * (DateTime.MinValue), so year 0000 is refused on writes.
   */
  public static final LocalDate XERO_MIN = LocalDate.of(1, 1, 1);

  private IsoDates() {}

  /** The date, when {@code raw} is a real calendar date from 0000-01-01 to 9999-12-31. */
  public static Optional<LocalDate> parse(String raw) {
    if (raw == null || !ISO_DATE.matcher(raw).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(raw));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The date, when Xero can hold it: {@link #parse} from {@link #XERO_MIN} on. */
  public static Optional<LocalDate> parseForXero(String raw) {
    return parse(raw).filter(d -> !d.isBefore(XERO_MIN));
  }
}
