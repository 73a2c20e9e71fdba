package dev.xerosync.syncengine;

import static dev.xerosync.syncengine.FakeXero.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.xerosync.store.UpsertOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeSyncTest {
  private static final String TENANT = "tenant-1";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final FakeXero xero = new FakeXero();
  private final FakeRecords store = new FakeRecords();
  private final List<Duration> slept = new ArrayList<>();

  private ChangeSync sync() {
    TenantReads reads = xero.reads(slept);
    InvoiceSync invoices = new InvoiceSync(reads, store, store, new SetAsideWrites(store));
    return new ChangeSync(
        reads,
        invoices,
        new CreditSync(reads, store, invoices),
        store,
        store,
        null,
        Clock.fixed(NOW, ZoneOffset.UTC),
        slept::add);
  }

  private void inXero(String... ids) {
    for (String id : ids) {
      xero.invoices.add(invoice(id, NOW.minusSeconds(60)));
    }
  }

  private static Map<String, Instant> named(String... ids) {
    Map<String, Instant> out = new LinkedHashMap<>();
    for (String id : ids) {
      out.put(id, null);
    }
    return out;
  }

  private Map<UpsertOutcome, Integer> changes(String... ids) throws SyncFailure {
    return sync().changes(TENANT, named(ids), Map.of(), List.of(), "c");
  }

  @Test
  void theNamedInvoicesAreFetchedByIdsAndStored() throws SyncFailure {
    inXero("a", "b", "c", "d");

    Map<UpsertOutcome, Integer> outcomes = changes("a", "b", "c", "d");

    assertThat(store.invoices).containsOnlyKeys("a", "b", "c", "d");
    assertThat(outcomes).containsEntry(UpsertOutcome.CREATED, 4);
    assertThat(xero.calls).containsExactly("invoicesByIds [a, b, c]", "invoicesByIds [d]");
  }

  @Test
  void anExpiredTokenIsRefreshedOnceAndTheCallMadeAgain() throws SyncFailure {
    inXero("a");
    xero.failures.add(401);

    changes("a");

    assertThat(xero.tokens.refreshes).isEqualTo(1);
    assertThat(xero.tokensUsed).containsExactly("token-1", "token-2");
    assertThat(store.invoices).containsOnlyKeys("a");
  }

  @Test
  void aServerErrorIsRetriedWithBackoffThenFailsAsTransient() {
    inXero("a");
    for (int i = 0; i < TenantReads.MAX_ATTEMPTS; i++) {
      xero.failures.add(503);
    }

    SyncFailure f = catchThrowableOfType(SyncFailure.class, () -> changes("a"));

    assertThat(f.kind()).isEqualTo(SyncFailure.Kind.TRANSIENT);
    assertThat(xero.calls).hasSize(TenantReads.MAX_ATTEMPTS);
    assertThat(slept).hasSize(TenantReads.MAX_ATTEMPTS - 1);
    for (int i = 0; i < slept.size(); i++) {
      assertThat(slept.get(i).toMillis())
          .isBetween(Backoff.capMillis(i + 1) / 2, Backoff.capMillis(i + 1));
    }
    assertThat(f.remaining().invoiceIds()).containsExactly("a");
    assertThat(store.invoices).isEmpty();
  }

  @Test
  void aServerErrorThatPassesCostsOnlyTheRetry() throws SyncFailure {
    inXero("a");
    xero.failures.add(500);

    changes("a");

    assertThat(xero.calls).hasSize(2);
    assertThat(store.invoices).containsOnlyKeys("a");
  }

  @Test
  void aRateLimitIsNotRetriedAndNamesOnlyTheIdsNotYetStored() {
    inXero("a", "b", "c", "d");
    xero.failures.add(200);
    xero.failures.add(429);

    SyncFailure f = catchThrowableOfType(SyncFailure.class, () -> changes("a", "b", "c", "d"));

    assertThat(f.kind()).isEqualTo(SyncFailure.Kind.RATE_LIMITED);
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(xero.calls).hasSize(2);
    assertThat(slept).isEmpty();
    assertThat(store.invoices).containsOnlyKeys("a", "b", "c");
    assertThat(f.remaining().invoiceIds()).containsExactly("d");
  }

  @Test
  void aForbiddenTenantNeedsReconnectingAndIsNotRetried() {
    inXero("a");
    xero.failures.add(403);

    assertThatThrownBy(() -> changes("a"))
        .isInstanceOfSatisfying(
            SyncFailure.class,
            f -> assertThat(f.kind()).isEqualTo(SyncFailure.Kind.RECONNECT_NEEDED));
    assertThat(xero.calls).hasSize(1);
  }

  @Test
  void anInvoiceStoredAtLeastAsNewAsTheWebhookSaidCostsNoCall() throws SyncFailure {
    Instant changed = NOW.minusSeconds(30);
    store.invoices.put("a", invoice("a", changed));
    inXero("a", "b");

    sync().changes(TENANT, named("a", "b"), Map.of("a", changed, "b", changed), List.of(), "c");

    assertThat(xero.calls).containsExactly("invoicesByIds [b]");
  }

  @Test
  void contactsAreFetchedAfterInvoicesAndCountInRemainingUntilStored() {
    xero.contacts.add(FakeXero.contact("k1", NOW));
    inXero("a");
    xero.failures.add(200);
    xero.failures.add(429);

    SyncFailure f =
        catchThrowableOfType(
            SyncFailure.class,
            () -> sync().changes(TENANT, named("a"), Map.of(), List.of("k1"), "c"));

    assertThat(f.remaining().invoiceIds()).isEmpty();
    assertThat(f.remaining().contactIds()).containsExactly("k1");
  }

  /**
   * Issue 29, finding 9: an id the last read by date did not list (a bill, no invoice at all) cost
   * every batch naming it a paced read; its webhook's date shows the read already saw it.
   */
  @Test
  void anIdTheLastReadByDateSawIsNotFetchedAgainEvenWhenNothingIsStored() throws SyncFailure {
    Instant readAt = NOW.minusSeconds(2);
    store.changeFetches.put(
        TENANT,
        new dev.xerosync.store.ChangeFetches.ChangeFetch(readAt, 0, readAt, NOW.minusSeconds(20)));
    TenantReads reads = xero.reads(slept);
    InvoiceSync invoices = new InvoiceSync(reads, store, store, new SetAsideWrites(store));
    ChangeSync sync =
        new ChangeSync(
            reads,
            invoices,
            new CreditSync(reads, store, invoices),
            store,
            store,
            store.changeFetchLog(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            slept::add);
    Instant sent = NOW.minusSeconds(5);

    sync.changes(
        TENANT,
        Map.of("unlisted", sent, "old", sent),
        Map.of("unlisted", NOW.minusSeconds(10), "old", NOW.minusSeconds(60)),
        List.of(),
        "c");

    assertThat(xero.calls).containsExactly("invoicesByIds [old]");
    assertThat(slept).isEmpty();
  }
}
