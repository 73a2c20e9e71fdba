package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.xero.ledger.InvoiceView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated histories are reproducible and obey the same invariants as scripted ones. */
class XeroSimulatorGeneratorIntegrationTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void sameSeedSameBooksAndStatusesAgreeWithMoney() {
    try (XeroSimulator sim =
        XeroSimulator.builder().clock(SimClock.frozen(NOW)).app("app", "s").start()) {
      SimOrganisation a = sim.createOrganisation("A");
      SimOrganisation b = sim.createOrganisation("B");
      a.generateHistory(7, 200, 2_000, NOW);
      b.generateHistory(7, 200, 2_000, NOW);
      List<String> ida = a.invoices().stream().map(v -> v.invoice().invoiceId()).toList();
      assertThat(ida)
          .hasSize(2_000)
          .isEqualTo(b.invoices().stream().map(v -> v.invoice().invoiceId()).toList());
      assertThat(a.contacts()).hasSize(200);
      for (InvoiceView v : a.invoices()) {
        switch (v.status()) {
          case "PAID" -> {
            assertThat(v.amountDue()).isZero();
            assertThat(v.invoice().fullyPaidOnDate()).isNotNull();
          }
          case "AUTHORISED" -> assertThat(v.amountDue().signum()).isPositive();
          default -> assertThat(v.payments()).isEmpty();
        }
        assertThat(v.invoice().updatedDateUtc()).isBeforeOrEqualTo(NOW);
      }
      assertThat(a.invoices())
          .extracting(InvoiceView::status)
          .contains("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED");
      // Generated invoices behave like any other: they can be paid over the API rules.
      InvoiceView open =
          a.invoices().stream()
              .filter(v -> v.status().equals("AUTHORISED"))
              .findFirst()
              .orElseThrow();
      a.pay(
          open.invoice().invoiceId(),
          open.amountDue(),
          java.time.LocalDate.of(2026, 3, 1),
          "settle");
      assertThat(a.invoice(open.invoice().invoiceId()).status()).isEqualTo("PAID");
    }
  }
}
