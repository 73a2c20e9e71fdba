package dev.xerosync.syncengine;

import static dev.xerosync.syncengine.FakeXero.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.Connection;
import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import dev.xerosync.store.ConnectionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialSyncPagesTest {
  private static final String TENANT = "tenant-1";
  private static final Instant STARTED = Instant.parse("2026-03-10T12:00:00Z");
  private static final Instant NOW = STARTED.plusSeconds(5);
  private static final LocalDate CUTOFF = LocalDate.parse("2025-03-10");
  private static final Counts TWO_OF_THREE = new Counts(2, 2, 0, 1, 0, 1);
  private static final Counts ALL_INVOICES = new Counts(2, 2, 1, 1, 0, 1);

  private final FakeXero xero = new FakeXero();
  private final FakeRecords store = new FakeRecords();
  private final List<SyncRequest> queued = new ArrayList<>();
  private final List<Duration> slept = new ArrayList<>();

  private void step() throws SyncFailure {
    TenantReads reads = xero.reads(slept);
    new InitialSyncPages(
            reads,
            new InvoiceSync(reads, store, store, new SetAsideWrites(store)),
            store,
            store,
            queued::add,
            store.changeFetchLog(),
            Clock.fixed(NOW, ZoneOffset.UTC))
        .step(TENANT, "c");
  }

  private void at(InitialSync s) {
    store.connections.put(
        TENANT,
        new Connection(
            TENANT, ConnectionStatus.SYNCING, null, null, s, null, null, null, null, null));
  }

  private InitialSync checkpoint() {
    return store.connections.get(TENANT).initialSync();
  }

  @Test
  void theFirstStepStoresAPageThenSavesTheCheckpointThenQueuesTheNextStep() throws SyncFailure {
    at(InitialSync.start(STARTED, CUTOFF));
    xero.invoices.add(invoice("a", NOW.minusSeconds(20)));
    xero.invoices.add(invoice("b", NOW.minusSeconds(10)));
    xero.older.add(invoice("old", NOW.minusSeconds(999_999)));

    step();

    assertThat(store.writes)
        .containsExactly(
            "organisation", "invoice a", "invoice b", "checkpoint OLDER cursor=0 page=1");
    assertThat(checkpoint().counts())
        .as("Xero's counts of each range, and the page copied")
        .isEqualTo(new Counts(2, 2, 0, 1, 0, 0));
    assertThat(queued)
        .containsExactly(
            SyncRequest.initialStep(TENANT, InitialSyncStarter.stepOf(checkpoint()), "c"));
    assertThat(xero.calls)
        .containsExactly(
            "organisation",
            "invoicesModifiedSince since=null where=Date<DateTime(2025,3,10) page=1",
            "contactsModifiedSince since=null page=1 pageSize=1",
            "invoicesModifiedSince since=null where=Date>=DateTime(2025,3,10) page=1");
  }

  @Test
  void aPageThatFailsLeavesTheCheckpointWhereItWasAndQueuesNothing() {
    InitialSync older =
        new InitialSync(Phase.OLDER, CUTOFF, 0, 1, TWO_OF_THREE, STARTED, NOW, null);
    at(older);
    xero.older.add(invoice("old", NOW.minusSeconds(999_999)));
    for (int i = 0; i < TenantReads.MAX_ATTEMPTS; i++) {
      xero.failures.add(502);
    }

    SyncFailure f = catchThrowableOfType(SyncFailure.class, this::step);

    assertThat(f.kind()).isEqualTo(SyncFailure.Kind.TRANSIENT);
    assertThat(xero.calls).hasSize(TenantReads.MAX_ATTEMPTS);
    assertThat(slept).hasSize(TenantReads.MAX_ATTEMPTS - 1);
    assertThat(checkpoint()).isEqualTo(older);
    assertThat(store.writes).isEmpty();
    assertThat(queued).isEmpty();
  }

  @Test
  void anExpiredTokenIsRefreshedOnceAndThePageStored() throws SyncFailure {
    at(new InitialSync(Phase.OLDER, CUTOFF, 0, 1, TWO_OF_THREE, STARTED, NOW, null));
    xero.older.add(invoice("old", NOW.minusSeconds(999_999)));
    xero.failures.add(401);

    step();

    assertThat(xero.tokens.refreshes).isEqualTo(1);
    assertThat(xero.tokensUsed).containsExactly("token-1", "token-2");
    assertThat(store.writes).containsExactly("invoice old", "checkpoint CONTACTS cursor=0 page=1");
  }

  @Test
  void aRateLimitAndAForbiddenTenantAreNotRetriedAndSaveNothing() {
    InitialSync contacts =
        new InitialSync(Phase.CONTACTS, CUTOFF, 0, 1, ALL_INVOICES, STARTED, NOW, null);
    at(contacts);
    xero.failures.add(429);
    assertThat(catchThrowableOfType(SyncFailure.class, this::step).kind())
        .isEqualTo(SyncFailure.Kind.RATE_LIMITED);
    xero.failures.add(403);
    assertThat(catchThrowableOfType(SyncFailure.class, this::step).kind())
        .isEqualTo(SyncFailure.Kind.RECONNECT_NEEDED);

    assertThat(xero.calls).hasSize(2);
    assertThat(checkpoint()).isEqualTo(contacts);
    assertThat(queued).isEmpty();
  }

  @Test
  void theLastContactsPageFinishesAndSetsTheSweepsWatermarksToTheStart() throws SyncFailure {
    at(new InitialSync(Phase.CONTACTS, CUTOFF, 0, 1, ALL_INVOICES, STARTED, NOW, null));
    xero.contacts.add(FakeXero.contact("k1", NOW));

    step();

    Connection c = store.connections.get(TENANT);
    assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(c.initialSync().phase()).isEqualTo(Phase.DONE);
    assertThat(c.initialSync().finishedAt()).isEqualTo(NOW);
    assertThat(c.invoicesSince()).isEqualTo(STARTED);
    assertThat(c.initialSync().counts()).isEqualTo(new Counts(2, 2, 1, 1, 1, 1));
    assertThat(store.writes)
        .containsExactly("contact k1", "checkpoint DONE cursor=0 page=1", "watermarks");
    assertThat(queued).isEmpty();
    // The first reads of changes by date need not reach back before the start: it read them all.
    ChangeFetch fetch = store.changeFetches.get(TENANT);
    assertThat(fetch.sinceFetchStartedAt()).isEqualTo(STARTED);
    assertThat(fetch.sinceFetchCovers()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void aTenantDisconnectedWhileItsPageWasReadGetsNoCheckpointAndNoNextStep() throws SyncFailure {
    InitialSync older =
        new InitialSync(Phase.OLDER, CUTOFF, 0, 1, TWO_OF_THREE, STARTED, NOW, null);
    at(older);
    xero.older.add(invoice("old", NOW.minusSeconds(999_999)));
    store.beforeCheckpoint =
        () -> store.setStatus(TENANT, ConnectionStatus.DISCONNECTED, null, null);

    step();

    assertThat(store.invoices).containsOnlyKeys("old");
    assertThat(checkpoint()).isEqualTo(older);
    assertThat(queued).isEmpty();
  }
}
