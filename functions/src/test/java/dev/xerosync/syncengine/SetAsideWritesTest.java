package dev.xerosync.syncengine;

import static dev.xerosync.syncengine.FakeXero.contact;
import static dev.xerosync.syncengine.FakeXero.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.UpsertOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 29, finding 1: an item the store refuses costs only that item. Before the fix the refusal
 * escaped the sync, so the whole message (and every genuine change folded with it) went back to the
 * queue on each receive until the dead-letter queue.
 */
class SetAsideWritesTest {
  private static final String TENANT = "tenant-1";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final FakeXero xero = new FakeXero();
  private final FakeRecords store = new FakeRecords();
  private final List<Duration> slept = new ArrayList<>();

  private TenantSync sync() {
    return new TenantSync(
        xero.reads(slept),
        store,
        store,
        store,
        store,
        null,
        request -> {},
        Clock.fixed(NOW, ZoneOffset.UTC),
        slept::add,
        null,
        store);
  }

  private void inXero(String... ids) {
    for (String id : ids) {
      xero.invoices.add(invoice(id, NOW.minusSeconds(60)));
    }
  }

  private static Map<String, Instant> named(String... ids) {
    Map<String, Instant> out = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      out.put(id, null);
    }
    return out;
  }

  @Test
  void aRefusedInvoiceIsSetAsideAndTheRestOfItsCallIsStored() throws SyncFailure {
    inXero("a", "b", "c", "d");
    store.refusing.add("b");

    Map<UpsertOutcome, Integer> outcomes =
        sync().syncChanges(TENANT, named("a", "b", "c", "d"), Map.of(), List.of(), "c");

    assertThat(store.invoices).containsOnlyKeys("a", "c", "d");
    assertThat(outcomes).containsEntry(UpsertOutcome.CREATED, 3);
    assertThat(store.setAside).containsExactly("INVOICE b");
    // Each call's batch was tried whole first; only the refused one is written alone.
    assertThat(xero.calls).containsExactly("invoicesByIds [a, b, c]", "invoicesByIds [d]");
  }

  @Test
  void aRefusedInvoiceOnAReadByDateIsSetAsideAndTheRestOfThePageIsStored() throws SyncFailure {
    inXero("a", "b", "c");
    store.refusing.add("a");
    InvoiceSync invoices =
        new InvoiceSync(xero.reads(slept), store, store, new SetAsideWrites(store));
    Map<UpsertOutcome, Integer> outcomes = new HashMap<>();
    List<String> read = new ArrayList<>();

    invoices.modifiedSince(
        TENANT, NOW.minusSeconds(3600), outcomes, p -> p.forEach(i -> read.add(i.invoiceId())));

    assertThat(store.invoices).containsOnlyKeys("b", "c");
    assertThat(store.setAside).containsExactly("INVOICE a");
    assertThat(read).containsExactly("a", "b", "c");
  }

  @Test
  void aRefusedContactIsSetAsideAndTheOtherContactsAreStored() throws SyncFailure {
    xero.contacts.add(contact("k1", NOW.minusSeconds(60)));
    xero.contacts.add(contact("k2", NOW.minusSeconds(60)));
    store.refusing.add("k1");

    sync().syncChanges(TENANT, Map.of(), Map.of(), List.of("k1", "k2"), "c");

    assertThat(store.contacts).containsOnlyKeys("k2");
    assertThat(store.setAside).containsExactly("CONTACT k1");
  }

  @Test
  void aFailureTheStoreDidNotDecideStillFailsTheSync() {
    inXero("a", "b");
    SyncRecords.Invoices flaky =
        new SyncRecords.Invoices() {
          @Override
          public UpsertOutcome upsert(String tenantId, dev.xerosync.xero.XeroInvoice invoice) {
            throw new IllegalStateException("throttled");
          }

          @Override
          public Map<UpsertOutcome, Integer> upsertAll(
              String tenantId, List<dev.xerosync.xero.XeroInvoice> batch) {
            throw new IllegalStateException("throttled");
          }

          @Override
          public Map<String, Instant> updatedAtAll(
              String tenantId, java.util.Collection<String> ids) {
            return Map.of();
          }
        };
    InvoiceSync invoices =
        new InvoiceSync(xero.reads(slept), flaky, store, new SetAsideWrites(store));

    assertThatThrownBy(() -> invoices.reread(TENANT, List.of("a", "b")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.setAside).isEmpty();
  }

  @Test
  void theMessageCarryingARefusedInvoiceIsDoneAndItsGenuineChangeStored() {
    inXero("poison", "genuine");
    store.refusing.add("poison");
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    Map<String, Duration> redelivered = new HashMap<>();
    TenantBatch batch =
        new TenantBatch(
            sync(),
            (requests, wait) -> {},
            store,
            null,
            (Redelivery) redelivered::put,
            Clock.fixed(NOW, ZoneOffset.UTC));

    List<String> returned =
        batch.process(
            List.of(
                new TenantBatch.Message(
                    "m1",
                    "rh-m1",
                    1,
                    NOW,
                    () -> new SyncRequest(TENANT, List.of("poison", "genuine"), List.of(), "c"))));

    assertThat(returned).isEmpty();
    assertThat(redelivered).isEmpty();
    assertThat(store.invoices).containsOnlyKeys("genuine");
    assertThat(store.setAside).containsExactly("INVOICE poison");
  }
}
