package dev.xerosync.infra.xero.ledger;

/**
 * A chart-of-accounts entry. Payments may only go to BANK accounts or accounts with payments
 * enabled.
 */
public record Account(
    String accountId,
    String code,
    String name,
    String type,
    String taxType,
    boolean enablePaymentsToAccount,
    String status,
    String bankAccountNumber) {
  public boolean acceptsPayments() {
    return "BANK".equals(type) || enablePaymentsToAccount;
  }
}
