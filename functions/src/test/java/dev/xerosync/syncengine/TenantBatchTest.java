package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding one tenant's messages into one run, and the failure policy: what returns, what waits. */
class TenantBatchTest {
  private static final String TENANT = "tenant-1";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final FakeRecords store = new FakeRecords();
  private final Steps steps = new Steps();
  private final List<String> deferred = new ArrayList<>();
  private final List<Duration> deferredFor = new ArrayList<>();
  private final List<String> alerts = new ArrayList<>();
  private final Map<String, Duration> redelivered = new LinkedHashMap<>();

  private final TenantBatch batch =
      new TenantBatch(
          steps,
          (requests, wait) -> {
            requests.forEach(r -> deferred.add(r.kind() + " " + r.invoiceIds()));
            deferredFor.add(wait);
          },
          store,
          new SyncAlerts() {
            @Override
            public void needsReconnect(String tenantId, String cause) {
              alerts.add("needsReconnect");
            }

            @Override
            public void syncError(String tenantId, String cause) {
              alerts.add("syncError");
            }

            @Override
            public void initialSyncComplete(String tenantId) {
              alerts.add("initialSyncComplete");
            }
          },
          (Redelivery) redelivered::put,
          Clock.fixed(NOW, ZoneOffset.UTC));

  /**
   * The sync's steps, recorded. Changes fail with {@link #failure} or break on {@link #breaksOn}; a
   * sweep fails with {@link #failure} or {@link #sweepFailure}.
   */
  private static final class Steps implements SyncSteps {
    final List<String> runs = new ArrayList<>();
    SyncFailure failure;
    SyncFailure sweepFailure;
    String breaksOn;

    @Override
    public Map<UpsertOutcome, Integer> syncChanges(
        String tenantId,
        Map<String, Instant> invoiceSentAt,
        Map<String, Instant> changedAt,
        Collection<String> contactIds,
        String correlationId)
        throws SyncFailure {
      runs.add("changes " + invoiceSentAt.keySet() + " " + contactIds);
      if (breaksOn != null && invoiceSentAt.containsKey(breaksOn)) {
        throw new IllegalStateException("broken");
      }
      if (failure != null) {
        throw failure;
      }
      return Map.of();
    }

    @Override
    public void syncCredits(
        String tenantId,
        Map<XeroAllocation.Kind, ? extends Collection<String>> creditIds,
        String correlationId) {
      runs.add("credits " + creditIds.values());
    }

    @Override
    public void initialSyncStep(String tenantId, String correlationId) {
      runs.add("initial");
    }

    @Override
    public void reconcile(String tenantId, String correlationId) throws SyncFailure {
      runs.add("reconcile");
      if (failure != null || sweepFailure != null) {
        throw failure != null ? failure : sweepFailure;
      }
    }
  }

  private static TenantBatch.Message message(String id, int receives, SyncRequest request) {
    return new TenantBatch.Message(id, "rh-" + id, receives, NOW, () -> request);
  }

  private static TenantBatch.Message unreadable(String id) {
    return new TenantBatch.Message(
        id,
        "rh-" + id,
        1,
        NOW,
        () -> {
          throw new SyncRequest.InvalidSyncRequestException("not JSON");
        });
  }

  private static SyncRequest changes(String... invoiceIds) {
    return new SyncRequest(TENANT, List.of(invoiceIds), List.of(), "c");
  }

  private static XeroApiException status(int status, Duration retryAfter, String problem) {
    return new XeroApiException(status, problem, retryAfter, "Xero answered " + status);
  }

  @Test
  void aTenantsMessagesFoldIntoOneRunAndAllSucceed() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);

    List<String> returned =
        batch.process(
            List.of(
                message("m1", 1, changes("a", "b")),
                message("m2", 1, SyncRequest.reconcile(TENANT, "h1", "c")),
                message("m3", 1, changes("b", "c").withCreditNotes(List.of("cn1"))),
                message("m4", 1, SyncRequest.reconcile(TENANT, "h2", "c"))));

    assertThat(returned).isEmpty();
    assertThat(steps.runs).containsExactly("changes [a, b, c] []", "credits [[cn1]]", "reconcile");
  }

  @Test
  void aTransientFailureReturnsEveryMessageAfterABackoffByTheFirstsReceiveCount() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.failure = SyncFailure.transientFailure(TENANT, status(502, null, null));

    List<String> returned =
        batch.process(List.of(message("m1", 2, changes("a")), message("m2", 1, changes("b"))));

    assertThat(returned).containsExactly("m1", "m2");
    assertThat(redelivered)
        .containsEntry("rh-m1", Redelivery.backoff(2))
        .containsEntry("rh-m2", Redelivery.backoff(2));
    assertThat(alerts).containsExactly("syncError");
    assertThat(deferred).isEmpty();
  }

  @Test
  void aRateLimitHoldsBackOnlyWhatWasNotFetchedAndReturnsNothing() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.failure =
        SyncFailure.rateLimited(TENANT, status(429, Duration.ofSeconds(30), "Minute"))
            .withRemaining(new SyncFailure.Remaining(List.of("c"), List.of()));

    List<String> returned =
        batch.process(
            List.of(
                message("m1", 1, changes("a", "b")),
                message("m2", 1, changes("c")),
                message("m3", 1, SyncRequest.reconcile(TENANT, "h1", "c"))));

    assertThat(returned).isEmpty();
    assertThat(redelivered).isEmpty();
    assertThat(deferred).containsExactly("CHANGES [c]", "RECONCILE []");
    assertThat(deferredFor).containsExactly(Duration.ofSeconds(30));
    assertThat(store.connections.get(TENANT).status()).isEqualTo(ConnectionStatus.CONNECTED);
  }

  @Test
  void aSpentDailyLimitAlsoMarksTheConnectionRateLimitedUntilItResets() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.failure = SyncFailure.rateLimited(TENANT, status(429, Duration.ofHours(3), "Day"));

    batch.process(List.of(message("m1", 1, changes("a"))));

    assertThat(deferred).containsExactly("CHANGES [a]");
    var c = store.connections.get(TENANT);
    assertThat(c.status()).isEqualTo(ConnectionStatus.RATE_LIMITED);
    assertThat(c.rateLimitedUntil()).isEqualTo(NOW.plus(Duration.ofHours(3)));
  }

  @Test
  void aStepThatFailsAfterEveryChangeWasStoredHoldsBackOnlyTheStep() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.sweepFailure = SyncFailure.rateLimited(TENANT, status(429, null, "Minute"));

    batch.process(
        List.of(
            message("m1", 1, changes("a")),
            message("m2", 1, SyncRequest.reconcile(TENANT, "h1", "c"))));

    assertThat(deferred).containsExactly("RECONCILE []");
    assertThat(deferredFor).containsExactly(Duration.ofSeconds(60));
  }

  @Test
  void aRefusedConnectionIsReportedAndItsMessagesAreNotRetried() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.failure = SyncFailure.reconnectNeeded(TENANT, status(403, null, null));

    List<String> returned = batch.process(List.of(message("m1", 1, changes("a"))));

    assertThat(returned).isEmpty();
    assertThat(alerts).containsExactly("needsReconnect");
    assertThat(deferred).isEmpty();
  }

  @Test
  void aTenantThatMustReconnectIsNotSyncedAndItsMessagesAreAcknowledged() {
    store.connect(TENANT, ConnectionStatus.NEEDS_RECONNECT);

    List<String> returned = batch.process(List.of(message("m1", 1, changes("a"))));

    assertThat(returned).isEmpty();
    assertThat(steps.runs).isEmpty();
  }

  @Test
  void anUnreadableMessageFailsWithEveryMessageAfterItAndTheOnesBeforeItRun() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);

    List<String> returned =
        batch.process(
            List.of(
                message("m1", 1, changes("a")), unreadable("m2"), message("m3", 1, changes("c"))));

    assertThat(returned).containsExactly("m2", "m3");
    assertThat(steps.runs).containsExactly("changes [a] []");
  }

  @Test
  void anotherTenantsRequestInTheGroupIsUnreadable() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);

    List<String> returned =
        batch.process(
            List.of(
                message("m1", 1, changes("a")),
                message("m2", 1, new SyncRequest("tenant-2", List.of("b"), List.of(), "c"))));

    assertThat(returned).containsExactly("m2");
  }

  @Test
  void aFoldedRunThatBreaksRunsEachMessageAloneSoOnlyTheCulpritReturns() {
    store.connect(TENANT, ConnectionStatus.CONNECTED);
    steps.breaksOn = "b";

    List<String> returned =
        batch.process(
            List.of(
                message("m1", 1, changes("a")),
                message("m2", 3, changes("b")),
                message("m3", 1, changes("c"))));

    assertThat(returned).containsExactly("m2");
    assertThat(redelivered).containsExactly(Map.entry("rh-m2", Redelivery.backoff(3)));
    assertThat(steps.runs)
        .containsExactly(
            "changes [a, b, c] []", "changes [a] []", "changes [b] []", "changes [c] []");
    assertThat(alerts).containsExactly("syncError");
  }

  @Test
  void anInitialStepThatFinishesTheSyncTellsTheTenant() {
    store.connections.put(
        TENANT,
        new dev.xerosync.store.Connection(
            TENANT,
            ConnectionStatus.CONNECTED,
            null,
            null,
            new dev.xerosync.store.Connection.InitialSync(
                dev.xerosync.store.Connection.InitialSync.Phase.DONE,
                java.time.LocalDate.parse("2025-03-10"),
                0,
                1,
                new dev.xerosync.store.Connection.Counts(1, 1, 0, 0, 0, 0),
                NOW,
                NOW,
                NOW),
            null,
            null,
            null,
            null,
            null));

    batch.process(List.of(message("m1", 1, SyncRequest.initialStep(TENANT, "s", "c"))));

    assertThat(steps.runs).containsExactly("initial");
    assertThat(alerts).containsExactly("initialSyncComplete");
  }
}
