package dev.xerosync.infra.xero.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One line's account, tax rate and discount against the seeded NZ chart of accounts. */
class LineRulesTest {
  final LineRules rules = new LineRules(new ChartOfAccounts());
  final List<String> errors = new ArrayList<>();

  static NewInvoice.Line line(String account, String taxType, String discount) {
    return new NewInvoice.Line(
        "x",
        BigDecimal.ONE,
        new BigDecimal("100.00"),
        account,
        taxType,
        null,
        discount == null ? null : new BigDecimal(discount),
        null);
  }

  @Test
  void aLineWithoutTaxTypeTakesItsAccountsAndIsComputed() {
    LineItem l = rules.prepare(line("200", null, null), "Exclusive", "ACCREC", errors);

    assertThat(errors).isEmpty();
    assertThat(l.taxType()).isEqualTo("OUTPUT2");
    assertThat(l.taxAmount()).isEqualTo(new BigDecimal("15.00"));
  }

  @Test
  void noTaxOverridesTheTaxType() {
    LineItem l = rules.prepare(line("200", "OUTPUT2", null), "NoTax", "ACCREC", errors);

    assertThat(errors).isEmpty();
    assertThat(l.taxType()).isEqualTo("NONE");
  }

  @Test
  void aBankOrUnknownCodeIsNotValidAndAnArchivedOneMustBeValid() {
    assertThat(rules.prepare(line("090", null, null), "Exclusive", "ACCREC", errors)).isNull();
    rules.prepare(line("999", null, null), "Exclusive", "ACCREC", errors);
    rules.prepare(line("205", null, null), "Exclusive", "ACCREC", errors);

    assertThat(errors)
        .containsExactly(
            XeroMessages.accountCodeNotValid("090"),
            XeroMessages.accountCodeNotValid("999"),
            XeroMessages.ACCOUNT_MUST_BE_VALID);
  }

  @Test
  void taxRatesMustExistBeActiveAndSuitTheAccountClass() {
    rules.prepare(line("200", "NOSUCH", null), "Exclusive", "ACCREC", errors);
    rules.prepare(line("200", "TAX001", null), "Exclusive", "ACCREC", errors);
    rules.prepare(line("200", "INPUT2", null), "Exclusive", "ACCREC", errors);

    assertThat(errors)
        .containsExactly(
            XeroMessages.taxTypeDoesNotExist("NOSUCH"),
            XeroMessages.TAX_RATE_MUST_BE_VALID,
            XeroMessages.taxTypeNotForAccount("INPUT2", "200"));
  }

  @Test
  void discountsAreForSalesOnlyAndAtMostAHundredPercent() {
    rules.prepare(line("400", null, "10"), "Exclusive", "ACCPAY", errors);
    rules.prepare(line("200", null, "100.01"), "Exclusive", "ACCREC", errors);
    LineItem full = rules.prepare(line("200", null, "100"), "Exclusive", "ACCREC", errors);

    assertThat(errors)
        .containsExactly(XeroMessages.DISCOUNT_SALES_ONLY, XeroMessages.DISCOUNT_TOO_LARGE);
    assertThat(full.lineAmount()).isEqualByComparingTo("0");
  }
}
