package dev.xerosync.infra.xero.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** An organisation's lock dates, local day and currencies. */
class OrganisationTest {
  final Organisation org =
      new Organisation(
          "t",
          "Org",
          "!abc",
          Clock.fixed(Instant.parse("2026-03-01T11:30:00Z"), ZoneOffset.UTC),
          ChangeListener.NONE);

  @Test
  void aDocumentOnOrBeforeALockDateIsLockedAndTheEndOfYearDateWins() {
    LocalDate period = LocalDate.of(2026, 1, 31), year = LocalDate.of(2025, 12, 31);
    org.lockDates(period, year);

    assertThat(org.checkLockDate(period))
        .containsExactly(XeroMessages.beforePeriodLockDate(period));
    assertThat(org.checkLockDate(year)).containsExactly(XeroMessages.beforeEndOfYearLockDate(year));
    assertThat(org.checkLockDate(period.plusDays(1))).isEmpty();
    assertThat(org.checkLockDate(null)).isEmpty();
  }

  @Test
  void todayIsTheOrganisationsLocalDay() {
    // 11:30 UTC on 1 March is 00:30 on 2 March in Auckland (NZDT, UTC+13).
    assertThat(org.today()).isEqualTo(LocalDate.of(2026, 3, 2));
    assertThat(org.dateOrToday(null)).isEqualTo(LocalDate.of(2026, 3, 2));
  }

  @Test
  void aNewBaseCurrencyReplacesTheOldOneInTheSubscriptions() {
    org.subscribeCurrency("usd");
    org.baseCurrency("AUD");

    assertThat(org.currencies()).containsExactly("USD", "AUD");
    assertThat(org.dayRate("AUD")).isEqualTo(BigDecimal.ONE);
    assertThat(org.dayRate("USD")).isEqualByComparingTo("0.6");
    assertThat(org.dayRate("XYZ")).isEqualTo(BigDecimal.ONE);
  }
}
