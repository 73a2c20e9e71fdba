package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class WriteRulesTest {
  private final JsonNode accounts =
      WritePath.json(
              "{\"a\":[{\"Code\":\"090\",\"Type\":\"BANK\",\"Status\":\"ACTIVE\"},"
                  + "{\"Code\":\"200\",\"Type\":\"REVENUE\",\"Name\":\"Sales\"},"
                  + "{\"Code\":\"610\",\"Type\":\"CURRENT\",\"EnablePaymentsToAccount\":true},"
                  + "{\"Code\":\"091\",\"Type\":\"BANK\",\"Status\":\"ARCHIVED\"}]}")
          .get("a");

  @Test
  void onlyAnActiveAccountCounts() {
    assertThat(WriteRules.activeAccount(accounts, "090")).isPresent();
    assertThat(WriteRules.activeAccount(accounts, "200")).as("no Status means active").isPresent();
    assertThat(WriteRules.activeAccount(accounts, "091")).isEmpty();
    assertThat(WriteRules.activeAccount(accounts, "999")).isEmpty();
    assertThat(WriteRules.activeAccount(accounts, null)).isEmpty();
  }

  @Test
  void paymentsGoIntoABankOrAnAccountWithPaymentsEnabled() {
    assertThat(WriteRules.paymentAccountProblem(accounts, "090")).isNull();
    assertThat(WriteRules.paymentAccountProblem(accounts, "610")).isNull();
    assertThat(WriteRules.paymentAccountProblem(accounts, "200"))
        .contains("Sales")
        .contains("takes no payments");
    assertThat(WriteRules.paymentAccountProblem(accounts, "091")).contains("not an active account");
  }

  @Test
  void depositsGoOnlyIntoAnActiveBankAccount() {
    assertThat(WriteRules.depositAccountProblem(accounts, "090")).isNull();
    assertThat(WriteRules.depositAccountProblem(accounts, "610")).isNotNull();
    assertThat(WriteRules.depositAccountProblem(accounts, "091")).isNotNull();
  }

  @Test
  void theLockDateIsTheLaterOfXerosTwoInEitherForm() {
    assertThat(
            WriteRules.lockDate(
                WritePath.json(
                    "{\"PeriodLockDate\":\"/Date(1767139200000+0000)/\","
                        + "\"EndOfYearLockDate\":\"2025-06-30T00:00:00\"}")))
        .isEqualTo("2025-12-31");
    assertThat(
            WriteRules.lockDate(WritePath.json("{\"EndOfYearLockDate\":\"2026-03-31T00:00:00\"}")))
        .isEqualTo("2026-03-31");
    assertThat(WriteRules.lockDate(WritePath.json("{\"PeriodLockDate\":\"\"}"))).isNull();
  }

  @Test
  void aDateOnOrBeforeTheLockDateIsRefused() {
    assertThat(WriteRules.lockDateProblem("2025-12-31", "2025-12-31")).contains("lock date");
    assertThat(WriteRules.lockDateProblem("2025-12-31", "2025-01-01")).isNotNull();
    assertThat(WriteRules.lockDateProblem("2025-12-31", "2026-01-01")).isNull();
    assertThat(WriteRules.lockDateProblem(null, "2020-01-01")).isNull();
    assertThat(WriteRules.lockDateProblem("2025-12-31", null)).isNull();
  }
}
