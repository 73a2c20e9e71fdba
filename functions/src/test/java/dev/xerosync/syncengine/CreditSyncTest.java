package dev.xerosync.syncengine;

import static dev.xerosync.syncengine.FakeXero.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CreditSyncTest {
  private static final String TENANT = "tenant-1";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final FakeXero xero = new FakeXero();
  private final FakeRecords store = new FakeRecords();
  private final List<Duration> slept = new ArrayList<>();
  private final TenantReads reads = xero.reads(slept);
  private final CreditSync credits =
      new CreditSync(reads, store, new InvoiceSync(reads, store, store, new SetAsideWrites(store)));

  private static XeroCredit creditNote(String id, Instant updated, String... invoiceIds) {
    List<XeroCredit.Allocation> allocations = new ArrayList<>();
    for (String invoiceId : invoiceIds) {
      allocations.add(
          new XeroCredit.Allocation("al-" + invoiceId, invoiceId, BigDecimal.TEN, null));
    }
    return new XeroCredit(
        XeroAllocation.Kind.CREDIT_NOTE,
        id,
        "CN-" + id,
        null,
        "ACCRECCREDIT",
        "AUTHORISED",
        "contact-1",
        null,
        LocalDate.of(2026, 3, 1),
        "NZD",
        BigDecimal.TEN,
        BigDecimal.ZERO,
        updated,
        allocations);
  }

  @Test
  void aNamedCreditIsStoredThenTheInvoicesItIsAllocatedToAreReadAgain() throws SyncFailure {
    xero.credits.put("cn1", creditNote("cn1", NOW, "a"));
    xero.invoices.add(invoice("a", NOW));

    credits.byIds(TENANT, Map.of(XeroAllocation.Kind.CREDIT_NOTE, List.of("cn1")));

    assertThat(xero.calls).containsExactly("credit CREDIT_NOTE cn1", "invoicesByIds [a]");
    assertThat(store.writes).containsExactly("credit cn1", "invoice a");
  }

  @Test
  void aCreditGoneFromXeroStillHasItsInvoicesReadAgain() throws SyncFailure {
    store.upsert(TENANT, creditNote("cn1", NOW, "a"));
    store.writes.clear();
    xero.invoices.add(invoice("a", NOW));

    credits.byIds(TENANT, Map.of(XeroAllocation.Kind.CREDIT_NOTE, List.of("cn1")));

    assertThat(xero.calls).containsExactly("credit CREDIT_NOTE cn1", "invoicesByIds [a]");
  }

  @Test
  void theSweepMovesAKindsWatermarkOnlyAfterItsInvoicesAreReadAgain() {
    xero.credits.put("cn1", creditNote("cn1", NOW, "a"));
    xero.invoices.add(invoice("a", NOW));
    xero.failures.add(200); // credit notes modified since
    xero.failures.add(429); // the invoice read

    SyncFailure f =
        catchThrowableOfType(
            SyncFailure.class, () -> credits.sweep(TENANT, NOW, Set.of(), Reconciliation.OVERLAP));

    assertThat(f.kind()).isEqualTo(SyncFailure.Kind.RATE_LIMITED);
    assertThat(store.creditWatermarks).isEmpty();
  }

  @Test
  void theSweepSkipsInvoicesTheInvoiceSweepJustReadAndReturnsTheCreditsItRead() throws SyncFailure {
    xero.credits.put("cn1", creditNote("cn1", NOW, "a", "b"));
    xero.invoices.add(invoice("a", NOW));
    xero.invoices.add(invoice("b", NOW));

    Set<String> read = credits.sweep(TENANT, NOW, Set.of("a"), Reconciliation.OVERLAP);

    assertThat(read).containsExactly("cn1");
    assertThat(xero.calls).contains("invoicesByIds [b]").doesNotContain("invoicesByIds [a, b]");
    assertThat(store.creditWatermarks).containsEntry(XeroAllocation.Kind.CREDIT_NOTE, NOW);
    assertThat(xero.calls)
        .contains(
            "creditsModifiedSince CREDIT_NOTE since="
                + NOW.minus(Duration.ofDays(1)).minus(Reconciliation.OVERLAP)
                + " page=1");
  }
}
