package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One organisation's settings (name, timezone, currencies, lock dates), its clock and where its
 * changes are reported. Currencies are guarded by the ledger's monitor; the rest are volatile.
 */
final class Organisation {
  /**
   * Day rates the simulator uses when a foreign-currency document names no CurrencyRate (Xero would
   * take XE.com's): units of the currency per one NZD.
   */
  private static final Map<String, BigDecimal> DAY_RATES =
      Map.of(
          "USD", new BigDecimal("0.600000"),
          "AUD", new BigDecimal("0.920000"),
          "GBP", new BigDecimal("0.480000"),
          "EUR", new BigDecimal("0.550000"));

  final String tenantId;
  final String shortCode;
  final Instant createdDateUtc;
  private final Clock clock;
  private final ChangeListener listener;
  final String name;
  private volatile ZoneId timezone = ZoneId.of("Pacific/Auckland");
  private volatile String baseCurrency = "NZD";
  private volatile String countryCode = "NZ";
  private final Set<String> currencies = new LinkedHashSet<>();
  private volatile LocalDate periodLockDate;
  private volatile LocalDate endOfYearLockDate;

  Organisation(
      String tenantId, String name, String shortCode, Clock clock, ChangeListener listener) {
    this.tenantId = tenantId;
    this.name = name;
    this.shortCode = shortCode;
    this.clock = clock;
    this.listener = listener;
    this.createdDateUtc = clock.instant();
    currencies.add(baseCurrency);
  }

  Instant now() {
    return clock.instant();
  }

  /** Reports a committed change (category INVOICE, CONTACT or CREDITNOTE) so webhooks follow. */
  void changed(String category, String eventType, String resourceId, Instant at) {
    listener.changed(tenantId, category, eventType, resourceId, at);
  }

  ZoneId timezone() {
    return timezone;
  }

  void timezone(ZoneId z) {
    timezone = Objects.requireNonNull(z);
  }

  String baseCurrency() {
    return baseCurrency;
  }

  void baseCurrency(String c) {
    currencies.remove(baseCurrency);
    baseCurrency = Objects.requireNonNull(c);
    currencies.add(c);
  }

  List<String> currencies() {
    return List.copyOf(currencies);
  }

  boolean subscribes(String currency) {
    return currencies.contains(currency);
  }

  void subscribeCurrency(String code) {
    currencies.add(code.toUpperCase(Locale.ROOT));
  }

  String countryCode() {
    return countryCode;
  }

  void countryCode(String c) {
    countryCode = Objects.requireNonNull(c);
  }

  LocalDate periodLockDate() {
    return periodLockDate;
  }

  LocalDate endOfYearLockDate() {
    return endOfYearLockDate;
  }

  void lockDates(LocalDate period, LocalDate endOfYear) {
    periodLockDate = period;
    endOfYearLockDate = endOfYear;
  }

  /**
   * Xero locks documents dated on or before a lock date; the end-of-year date is the stricter, so
   * its message wins.
   */
  List<String> checkLockDate(LocalDate date) {
    if (date == null) {
      return List.of();
    }
    LocalDate year = endOfYearLockDate, period = periodLockDate;
    if (year != null && !date.isAfter(year)) {
      return List.of(XeroMessages.beforeEndOfYearLockDate(year));
    }
    if (period != null && !date.isAfter(period)) {
      return List.of(XeroMessages.beforePeriodLockDate(period));
    }
    return List.of();
  }

  /** Units of currency per one unit of the base currency, for a document that names none. */
  BigDecimal dayRate(String currency) {
    if (currency == null || currency.equals(baseCurrency)) {
      return BigDecimal.ONE;
    }
    return DAY_RATES.getOrDefault(currency, BigDecimal.ONE);
  }

  /** Today in the organisation's timezone: Xero defaults document dates this way. */
  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), timezone);
  }

  /** The document's date, or today when it names none (as Xero defaults it). */
  LocalDate dateOrToday(LocalDate date) {
    return date == null ? today() : date;
  }
}
