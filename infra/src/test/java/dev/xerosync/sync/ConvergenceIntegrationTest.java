package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The small variant of the convergence run (the full one: {@code ./dev bench ConvergenceRun}):
 * after faults of every kind and reconciliation, DynamoDB equals Xero's truth, field by field:
 * invoices, payments, totals, and credit notes, overpayments and prepayments allocated,
 * un-allocated and refunded.
 */
class ConvergenceIntegrationTest {
  @Test
  void everyInvoicePaymentCreditAndTotalConvergesDespiteFaults() throws Exception {
    var result =
        ConvergenceScenario.run(new ConvergenceScenario.Size(3, 300, 4, 20261121L), line -> {});

    assertThat(result.applied()).as("changes the simulator accepted").isGreaterThan(200);
    assertThat(result.differences())
        .allSatisfy((tenant, diffs) -> assertThat(diffs).as("tenant " + tenant).isEmpty());
    assertThat(result.creditChanges()).as("credit changes made").isGreaterThan(50);
    assertThat(result.creditDifferences())
        .allSatisfy((tenant, diffs) -> assertThat(diffs).as("tenant " + tenant).isEmpty());
  }
}
