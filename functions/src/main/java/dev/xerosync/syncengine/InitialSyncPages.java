package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.Connection;
import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's initial sync, one checkpointed page at a time: the last 12 months of invoices first,
 * then older ones, then contacts. Each step stores its page, then saves the checkpoint, then queues
 * the next step, so a run killed at any point redoes at most one page, and redoing a page changes
 * nothing.
 */
final class InitialSyncPages {
  private static final Log LOG = Log.of(InitialSyncPages.class);
  private static final int PAGE_SIZE = InvoiceSync.PAGE_SIZE;

  private final TenantReads reads;
  private final InvoiceSync invoices;
  private final SyncRecords.Contacts contacts;
  private final SyncRecords.Tenants connections;

  /** Null: built without a sync queue, so no next step can be sent. */
  private final @Nullable Consumer<SyncRequest> queue;

  /** Null: changes are always fetched by {@code IDs=}, so there is no record to start. */
  private final SyncRecords.@Nullable ChangeFetchLog changeFetches;

  private final Clock clock;

  InitialSyncPages(
      TenantReads reads,
      InvoiceSync invoices,
      SyncRecords.Contacts contacts,
      SyncRecords.Tenants connections,
      @Nullable Consumer<SyncRequest> queue,
      SyncRecords.@Nullable ChangeFetchLog changeFetches,
      Clock clock) {
    this.reads = reads;
    this.invoices = invoices;
    this.contacts = contacts;
    this.connections = connections;
    this.queue = queue;
    this.changeFetches = changeFetches;
    this.clock = clock;
  }

  /** The stored step, if the tenant's initial sync is still running. */
  void step(String tenantId, @Nullable String correlationId) throws SyncFailure {
    Connection connection = connections.get(tenantId).orElse(null);
    if (connection == null
        || connection.initialSync() == null
        || connection.initialSync().phase() == Phase.DONE) {
      return;
    }
    InitialSync s = connection.initialSync();
    boolean first =
        s.phase() == Phase.RECENT && s.cursorMs() == 0 && s.page() == 1 && s.processed() == 0;
    Counts counts = s.counts();
    if (first) {
      var org = reads.call(tenantId, (x, token) -> x.organisation(tenantId, token));
      connections.putOrganisation(tenantId, org);
      // Xero's counts for the progress shown while the sync runs: one record a call, once.
      XeroPage<XeroInvoice> older =
          reads.call(
              tenantId,
              (x, token) ->
                  x.invoicesModifiedSince(tenantId, token, null, olderThan(s.cutoff()), 1, 1));
      XeroPage<XeroContact> allContacts =
          reads.call(tenantId, (x, token) -> x.contactsModifiedSince(tenantId, token, null, 1, 1));
      counts = new Counts(0, Counts.UNKNOWN, 0, count(older, 1), 0, count(allContacts, 1));
    }
    InitialSync next;
    if (s.phase() == Phase.CONTACTS) {
      XeroPage<XeroContact> page =
          reads.call(
              tenantId,
              (x, token) -> x.contactsModifiedSince(tenantId, token, null, s.page(), PAGE_SIZE));
      contacts.upsertPage(tenantId, page.items());
      counts = counts.plus(Phase.CONTACTS, page.items().size());
      if (page.items().size() < PAGE_SIZE) {
        finish(tenantId, s, counts);
        return;
      }
      next =
          new InitialSync(
              Phase.CONTACTS,
              s.cutoff(),
              0,
              s.page() + 1,
              counts,
              s.startedAt(),
              s.recentQueryableAt(),
              null);
    } else {
      String where = s.phase() == Phase.RECENT ? onOrAfter(s.cutoff()) : olderThan(s.cutoff());
      Instant since = s.cursorMs() == 0 ? null : Instant.ofEpochMilli(s.cursorMs()).minusSeconds(1);
      XeroPage<XeroInvoice> page =
          reads.call(
              tenantId,
              (x, token) ->
                  x.invoicesModifiedSince(tenantId, token, since, where, s.page(), PAGE_SIZE));
      if (first) {
        counts =
            new Counts(
                0, count(page, PAGE_SIZE), 0, counts.olderTotal(), 0, counts.contactsTotal());
      }
      invoices.store(tenantId, page.items());
      next =
          InitialSyncPlan.afterInvoicePage(
              s,
              page.items().stream().map(XeroInvoice::updatedDateUtc).toList(),
              PAGE_SIZE,
              counts,
              clock.instant());
      if (s.phase() == Phase.RECENT && next.phase() == Phase.OLDER) {
        LOG.info(
            "last 12 months synced and queryable",
            "tenantId",
            tenantId,
            "invoices",
            next.counts().recentDone(),
            "correlationId",
            correlationId);
      }
    }
    if (!connections.saveInitialSync(tenantId, s, next, ConnectionStatus.SYNCING)) {
      // Disconnected, or another run of this message already moved the sync on and sent its step.
      return;
    }
    // A crash between the save and this send stalls nothing: the sweep re-queues stalled initial
    // syncs.
    if (queue == null) {
      throw new IllegalStateException("built without a sync queue: the next step cannot be sent");
    }
    queue.accept(SyncRequest.initialStep(tenantId, InitialSyncStarter.stepOf(next), correlationId));
  }

  private void finish(String tenantId, InitialSync s, Counts counts) {
    Instant now = clock.instant();
    InitialSync done =
        new InitialSync(
            Phase.DONE, s.cutoff(), 0, 1, counts, s.startedAt(), s.recentQueryableAt(), now);
    if (!connections.saveInitialSync(tenantId, s, done, ConnectionStatus.CONNECTED)) {
      return; // Disconnected, or another run of this step finished it.
    }
    // Anything that changed while the initial sync ran is read again by the first sweep.
    connections.saveWatermarks(
        tenantId, s.startedAt(), s.startedAt(), s.startedAt(), s.startedAt(), now);
    // The first reads of changes by date start from here, not from books this sync just read.
    if (changeFetches != null) {
      changeFetches.put(
          tenantId, ChangeFetchPlan.afterInitialSync(changeFetches.get(tenantId), s.startedAt()));
    }
    LOG.info(
        "initial sync finished",
        "tenantId",
        tenantId,
        "invoices",
        counts.recentDone() + counts.olderDone(),
        "contacts",
        counts.contactsDone(),
        "seconds",
        Duration.between(s.startedAt(), now).toSeconds());
  }

  static String onOrAfter(LocalDate d) {
    return "Date>=DateTime("
        + d.getYear()
        + ","
        + d.getMonthValue()
        + ","
        + d.getDayOfMonth()
        + ")";
  }

  static String olderThan(LocalDate d) {
    return "Date<DateTime(" + d.getYear() + "," + d.getMonthValue() + "," + d.getDayOfMonth() + ")";
  }

  /**
   * How many records the call's range holds: Xero's {@code pagination.itemCount} (sent with every
   * paged list), or the page itself when it is not full; unknown otherwise.
   */
  static long count(XeroPage<?> page, int pageSize) {
    if (page.itemCount() != null) {
      return page.itemCount();
    }
    return page.items().size() < pageSize ? page.items().size() : Counts.UNKNOWN;
  }
}
