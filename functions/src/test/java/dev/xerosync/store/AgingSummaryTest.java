package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.AgingSummary.Band;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AgingSummaryTest {
  static final LocalDate TODAY = LocalDate.parse("2026-03-01");

  @Test
  void bandsStartTheDayAfterTheDueDate() {
    assertThat(Band.of(TODAY, TODAY)).isEqualTo(Band.CURRENT);
    assertThat(Band.of(TODAY.plusDays(10), TODAY)).isEqualTo(Band.CURRENT);
    assertThat(Band.of(null, TODAY)).isEqualTo(Band.CURRENT);
    assertThat(Band.of(TODAY.minusDays(1), TODAY)).isEqualTo(Band.DAYS_1_TO_30);
    assertThat(Band.of(TODAY.minusDays(30), TODAY)).isEqualTo(Band.DAYS_1_TO_30);
    assertThat(Band.of(TODAY.minusDays(31), TODAY)).isEqualTo(Band.DAYS_31_TO_60);
    assertThat(Band.of(TODAY.minusDays(60), TODAY)).isEqualTo(Band.DAYS_31_TO_60);
    assertThat(Band.of(TODAY.minusDays(61), TODAY)).isEqualTo(Band.DAYS_61_TO_90);
    assertThat(Band.of(TODAY.minusDays(90), TODAY)).isEqualTo(Band.DAYS_61_TO_90);
    assertThat(Band.of(TODAY.minusDays(91), TODAY)).isEqualTo(Band.OVER_90);
  }

  @Test
  void sumsPerCurrencyAndBand() {
    AgingSummary s = new AgingSummary(TODAY);
    s.add("NZD", TODAY.minusDays(5), 1, new BigDecimal("10.50"));
    s.add("NZD", TODAY.minusDays(20), 2, new BigDecimal("4.50"));
    s.add("NZD", TODAY.minusDays(100), 1, new BigDecimal("1"));
    s.add("AUD", TODAY, 1, new BigDecimal("7"));
    s.add("AUD", TODAY.minusDays(3), 0, BigDecimal.ZERO); // an emptied ledger entry adds nothing
    assertThat(s.byCurrency().keySet()).containsExactly("AUD", "NZD");
    assertThat(s.byCurrency().get("NZD").get(Band.DAYS_1_TO_30))
        .isEqualTo(new AgingSummary.Cell(3, new BigDecimal("15.00")));
    assertThat(s.byCurrency().get("NZD").get(Band.OVER_90).count()).isEqualTo(1);
    assertThat(s.byCurrency().get("AUD").get(Band.CURRENT).amount()).isEqualByComparingTo("7");
    assertThat(s.byCurrency().get("AUD").get(Band.DAYS_1_TO_30).count()).isZero();
  }
}
