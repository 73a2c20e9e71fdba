package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The date shapes Xero really sends, including the ones tap-xero's changelog records as bugs. */
class XeroDatesTest {
  @Test
  void readsMillisecondDatesWithAndWithoutOffset() {
    assertThat(XeroDates.instant("/Date(1539993600000+0000)/"))
        .isEqualTo(Instant.parse("2018-10-20T00:00:00Z"));
    assertThat(XeroDates.instant("/Date(1552326816230)/"))
        .isEqualTo(Instant.ofEpochMilli(1552326816230L));
  }

  @Test
  void readsTheEpochAndDatesBefore1970() {
    assertThat(XeroDates.instant("/Date(0)/")).isEqualTo(Instant.EPOCH);
    assertThat(XeroDates.instant("/Date(-62135596800000+0000)/"))
        .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(XeroDates.date(null, "/Date(-86400000+0000)/"))
        .isEqualTo(LocalDate.of(1969, 12, 31));
  }

  @Test
  void prefersTheOrganisationsDateStringForCalendarDates() {
    // 23:30 UTC on the 19th is already the 20th in New Zealand; Xero's DateString says which day
    // the user meant.
    assertThat(XeroDates.date("2018-10-20T00:00:00", "/Date(1539991800000+0000)/"))
        .isEqualTo(LocalDate.of(2018, 10, 20));
  }

  @Test
  void readsIsoTimestampsWithoutAZoneAsUtc() {
    assertThat(XeroDates.instant("2017-06-21T01:15:39.902"))
        .isEqualTo(Instant.parse("2017-06-21T01:15:39.902Z"));
    assertThat(XeroDates.instant("2018-11-02T16:31:30Z"))
        .isEqualTo(Instant.parse("2018-11-02T16:31:30Z"));
  }

  @Test
  void treatsAbsentValuesAsNoDate() {
    assertThat(XeroDates.instant(null)).isNull();
    assertThat(XeroDates.date(null, null)).isNull();
    assertThat(XeroDates.date("", "")).isNull();
  }
}
