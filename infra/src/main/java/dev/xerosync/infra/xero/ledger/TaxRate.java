package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;

/**
 * A tax rate from the organisation's list: its type code, one component at {@code ratePercent}, its
 * status and the account classes it may be used with (Xero's CanApplyTo... flags).
 */
public record TaxRate(
    String name,
    String taxType,
    String status,
    String reportTaxType,
    BigDecimal ratePercent,
    boolean canApplyToAssets,
    boolean canApplyToEquity,
    boolean canApplyToExpenses,
    boolean canApplyToLiabilities,
    boolean canApplyToRevenue) {
  public static final String ACTIVE = "ACTIVE", ARCHIVED = "ARCHIVED", DELETED = "DELETED";

  /** The rate as a fraction (15% is 0.15). */
  public BigDecimal fraction() {
    return ratePercent.movePointLeft(2);
  }

  public boolean canApplyTo(String accountClass) {
    return switch (accountClass) {
      case "ASSET" -> canApplyToAssets;
      case "EQUITY" -> canApplyToEquity;
      case "EXPENSE" -> canApplyToExpenses;
      case "LIABILITY" -> canApplyToLiabilities;
      default -> canApplyToRevenue;
    };
  }
}
