package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The organisation's chart of accounts and tax rates, seeded as Xero's default NZ organisation.
 * Guarded by the ledger's monitor.
 */
final class ChartOfAccounts {
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Map<String, TaxRate> taxRates = new LinkedHashMap<>();

  ChartOfAccounts() {
    seedAccounts();
    seedTaxRates();
  }

  private void seedAccounts() {
    // Xero's default NZ chart (the demo company's codes), plus the clearing account payment
    // platforms post to: a CURRENT asset with payments enabled, "Undeposited Funds".
    bank("090", "Business Bank Account", "10-9999-0000001-00");
    bank("091", "Business Savings Account", "10-9999-0000002-00");
    addAccount("200", "Sales", "REVENUE", "OUTPUT2", false, null, null);
    addAccount("260", "Other Revenue", "REVENUE", "OUTPUT2", false, null, null);
    addAccount("270", "Interest Income", "REVENUE", "NONE", false, null, null);
    addAccount("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2", false, null, null);
    addAccount("400", "Advertising", "EXPENSE", "INPUT2", false, null, null);
    addAccount("404", "Bank Fees", "EXPENSE", "NONE", false, null, null);
    addAccount("429", "General Expenses", "EXPENSE", "INPUT2", false, null, null);
    addAccount("610", "Accounts Receivable", "CURRENT", "NONE", false, null, "DEBTORS");
    addAccount("615", "Undeposited Funds", "CURRENT", "NONE", true, null, null);
    addAccount("620", "Prepayments", "CURRENT", "NONE", false, null, null);
    addAccount("630", "Inventory", "INVENTORY", "NONE", false, null, null);
    addAccount("710", "Office Equipment", "FIXED", "INPUT2", false, null, null);
    addAccount("800", "Accounts Payable", "CURRLIAB", "NONE", false, null, "CREDITORS");
    addAccount("820", "GST", "CURRLIAB", "NONE", false, null, "GST");
    addAccount("840", "Historical Adjustment", "CURRLIAB", "NONE", false, null, "HISTORICAL");
    addAccount("880", "Owner A Drawings", "EQUITY", "NONE", true, null, null);
    addAccount("960", "Retained Earnings", "EQUITY", "NONE", false, null, "RETAINEDEARNINGS");
    Account old =
        addAccount("205", "Sales - Legacy Products", "REVENUE", "OUTPUT2", false, null, null);
    accounts.put(old.accountId(), withStatus(old, Account.ARCHIVED));
  }

  private void bank(String code, String name, String number) {
    addAccount(code, name, "BANK", "NONE", false, number, null);
  }

  private Account addAccount(
      String code,
      String name,
      String type,
      String tax,
      boolean payments,
      String bankNo,
      String system) {
    String id = UUID.randomUUID().toString();
    Account a =
        new Account(id, code, name, type, tax, payments, Account.ACTIVE, bankNo, system, "");
    accounts.put(id, a);
    return a;
  }

  private static Account withStatus(Account a, String status) {
    return new Account(
        a.accountId(),
        a.code(),
        a.name(),
        a.type(),
        a.taxType(),
        a.enablePaymentsToAccount(),
        status,
        a.bankAccountNumber(),
        a.systemAccount(),
        a.description());
  }

  private void seedTaxRates() {
    // NZ's list: GST on Income may not be used on expense accounts, GST on Expenses not on revenue.
    BigDecimal fifteen = new BigDecimal("15.0000"), zero = new BigDecimal("0.0000");
    tax("GST on Income", "OUTPUT2", "OUTPUT", fifteen, true, true, false, true, true);
    tax("GST on Expenses", "INPUT2", "INPUT", fifteen, true, true, true, true, false);
    tax("No GST", "NONE", "NONE", zero, true, true, true, true, true);
    tax("Zero Rated", "ZERORATEDOUTPUT", "OUTPUT", zero, true, true, false, true, true);
    tax("Zero Rated Purchases", "ZERORATEDINPUT", "INPUT", zero, true, true, true, true, false);
    tax("GST Exempt Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", zero, true, true, false, true, true);
    tax("GST Exempt Expenses", "EXEMPTINPUT", "EXEMPTINPUT", zero, true, true, true, true, false);
    taxRates.put(
        "TAX001",
        new TaxRate(
            "Old GST 12.5%",
            "TAX001",
            TaxRate.ARCHIVED,
            "OUTPUT",
            new BigDecimal("12.5000"),
            true,
            true,
            false,
            true,
            true));
  }

  private void tax(
      String name,
      String type,
      String report,
      BigDecimal rate,
      boolean assets,
      boolean equity,
      boolean expenses,
      boolean liabilities,
      boolean revenue) {
    taxRates.put(
        type,
        new TaxRate(
            name,
            type,
            TaxRate.ACTIVE,
            report,
            rate,
            assets,
            equity,
            expenses,
            liabilities,
            revenue));
  }

  List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  Account account(String id) {
    return accounts.get(id);
  }

  Optional<Account> accountByCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    return accounts.values().stream().filter(a -> a.code().equals(code)).findFirst();
  }

  Account accountByCodeOrId(String code, String id) {
    if (id != null) {
      return accounts.get(id);
    }
    return accountByCode(code).orElse(null);
  }

  String defaultBankAccountId() {
    return accounts.values().stream()
        .filter(a -> "BANK".equals(a.type()))
        .findFirst()
        .orElseThrow()
        .accountId();
  }

  List<TaxRate> taxRates() {
    return List.copyOf(taxRates.values());
  }

  /** The tax rate with this TaxType, or null. */
  TaxRate taxRate(String taxType) {
    return taxRates.get(taxType);
  }
}
