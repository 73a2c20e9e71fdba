package dev.xerosync.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
  private static String scaled(String amount, String currency) {
    return Money.scaled(new BigDecimal(amount), currency).toPlainString();
  }

  @Test
  void amountsGetTheirCurrencysScale() {
    assertEquals("549.00", scaled("549.0", "USD"));
    assertEquals("1500.00", scaled("1500", "NZD"));
    assertEquals("1500.00", scaled("1.5E+3", "GBP"));
    assertEquals("1500", scaled("1500.00", "JPY"));
    assertEquals("12.500", scaled("12.5", "BHD"));
    assertEquals("0.00", scaled("0E-8", "AUD"));
    assertEquals("-20.10", scaled("-20.1", "EUR"));
  }

  @Test
  void neverRoundsAwayAPlaceItWasGiven() {
    assertEquals("10.125", scaled("10.125", "USD"));
    assertEquals("1500.5", scaled("1500.5", "JPY"));
  }

  @Test
  void unknownOrMissingCurrencyGetsTwoPlaces() {
    assertEquals("7.00", scaled("7", null));
    assertEquals("7.00", scaled("7", "XYZ1"));
    assertEquals("0.00", Money.scaled(null, "USD").toPlainString());
  }
}
