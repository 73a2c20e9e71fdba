package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.util.List;

/**
 * What every document line must pass, as Xero checks it: its account, its tax rate and its
 * discount. Shared by invoices, credit notes and bank transactions.
 */
final class LineRules {
  /** The LineAmountTypes Xero accepts. */
  static final List<String> LINE_AMOUNT_TYPES = List.of("Exclusive", "Inclusive", "NoTax");

  private static final BigDecimal HUNDRED = new BigDecimal(100);

  private final ChartOfAccounts chart;

  LineRules(ChartOfAccounts chart) {
    this.chart = chart;
  }

  /**
   * One line's account, tax rate and discount checked as Xero does (messages appended to errors);
   * the computed line when it passes, else null. Discounts apply to ACCREC documents only.
   */
  LineItem prepare(NewInvoice.Line l, String lat, String docType, List<String> errors) {
    int before = errors.size();
    Account account = chart.accountByCode(l.accountCode()).orElse(null);
    if (l.accountCode() != null) {
      // Unsourced split: an unknown code, or one no sales/purchase line may use (a bank
      // account), is "not a valid code"; an archived one is "Account must be valid.".
      if (account == null || "BANK".equals(account.type())) {
        errors.add(XeroMessages.accountCodeNotValid(l.accountCode()));
      } else if (!account.active()) {
        errors.add(XeroMessages.ACCOUNT_MUST_BE_VALID);
      }
    }
    String tax = l.taxType();
    if (tax == null) {
      tax = account == null ? "NONE" : account.taxType();
    }
    if ("NoTax".equals(lat)) {
      tax = "NONE";
    }
    TaxRate rate = chart.taxRate(tax);
    if (rate == null) {
      errors.add(XeroMessages.taxTypeDoesNotExist(tax));
    } else if (!TaxRate.ACTIVE.equals(rate.status())) {
      errors.add(XeroMessages.TAX_RATE_MUST_BE_VALID);
    } else if (account != null
        && account.active()
        && !"BANK".equals(account.type())
        && !rate.canApplyTo(account.accountClass())) {
      errors.add(XeroMessages.taxTypeNotForAccount(tax, l.accountCode()));
    }
    BigDecimal discount = l.discountRate();
    if (discount != null && discount.signum() != 0) {
      if (!"ACCREC".equals(docType)) {
        errors.add(XeroMessages.DISCOUNT_SALES_ONLY);
      } else if (discount.signum() < 0 || discount.compareTo(HUNDRED) > 0) {
        errors.add(XeroMessages.DISCOUNT_TOO_LARGE);
      }
    }
    return errors.size() == before ? InvoiceArithmetic.line(l, tax, rate.fraction(), lat) : null;
  }
}
