package dev.xerosync.common;

import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * Amounts as our API writes them: a JSON number with its currency's scale (ISO 4217 minor units:
 * 549.00 USD, 1500 JPY, 12.500 BHD). DynamoDB and Xero both drop trailing zeros, so the scale is
 * set here, on the way out, and never by rounding: an amount with more places than its currency
 * keeps them.
 */
public final class Money {
  /** Xero's own amounts have two places; a currency we cannot name gets those. */
  static final int DEFAULT_SCALE = 2;

  private Money() {}

  public static BigDecimal scaled(BigDecimal amount, @Nullable String currency) {
    BigDecimal a = amount == null ? BigDecimal.ZERO : amount;
    int scale = scaleOf(currency);
    BigDecimal plain = a.signum() == 0 ? BigDecimal.ZERO : a.stripTrailingZeros();
    return plain.scale() >= scale ? plain : plain.setScale(scale);
  }

  /**
   * The amount as a JSON number node that keeps its scale (Jackson's node factory would strip the
   * trailing zeros again).
   */
  public static DecimalNode json(BigDecimal amount, @Nullable String currency) {
    return DecimalNode.valueOf(scaled(amount, currency));
  }

  static int scaleOf(@Nullable String currency) {
    if (currency == null) {
      return DEFAULT_SCALE;
    }
    try {
      int digits = Currency.getInstance(currency).getDefaultFractionDigits();
      return digits < 0 ? DEFAULT_SCALE : digits;
    } catch (IllegalArgumentException e) {
      return DEFAULT_SCALE;
    }
  }
}
