package dev.xerosync.infra.xero.ledger;

/**
 * A chart-of-accounts entry. Payments may only go to BANK accounts or accounts with payments
 * enabled; ARCHIVED accounts cannot be used on new transactions.
 */
public record Account(
    String accountId,
    String code,
    String name,
    String type,
    String taxType,
    boolean enablePaymentsToAccount,
    String status,
    String bankAccountNumber,
    String systemAccount,
    String description) {
  public static final String ACTIVE = "ACTIVE", ARCHIVED = "ARCHIVED";

  public boolean acceptsPayments() {
    return "BANK".equals(type) || enablePaymentsToAccount;
  }

  public boolean active() {
    return ACTIVE.equals(status);
  }

  /** ASSET, EQUITY, EXPENSE, LIABILITY or REVENUE, as Xero derives Class from Type. */
  public String accountClass() {
    return switch (type) {
      case "BANK", "CURRENT", "FIXED", "INVENTORY", "NONCURRENT", "PREPAYMENT" -> "ASSET";
      case "CURRLIAB", "LIABILITY", "TERMLIAB" -> "LIABILITY";
      case "EQUITY" -> "EQUITY";
      case "REVENUE", "SALES", "OTHERINCOME" -> "REVENUE";
      default -> "EXPENSE";
    };
  }
}
