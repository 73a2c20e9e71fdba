package dev.xerosync.syncengine;

import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.SetAsideItems;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroReads;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Brings one tenant's data from Xero into the store: the changes a webhook named ({@link
 * ChangeSync}), the initial sync one checkpointed page at a time ({@link InitialSyncPages}), and
 * reconciliation sweeps that catch what webhooks missed ({@link Reconciliation}). All three read
 * through one {@link TenantReads}. Everything written is idempotent and ordered by Xero's
 * UpdatedDateUTC, so a repeat, a replay or an out-of-order read changes nothing.
 */
public final class TenantSync implements SyncSteps {
  private final ChangeSync changes;
  private final InitialSyncPages initial;
  private final Reconciliation reconciliation;
  private final @Nullable InitialSyncStarter starter;

  public TenantSync(
      XeroReads xero,
      TenantXero.Tokens tokens,
      InvoiceStore invoices,
      ContactStore contacts,
      CreditStore credits,
      Connections connections,
      @Nullable SyncQueue queue,
      Clock clock) {
    this(xero, tokens, invoices, contacts, credits, connections, queue, clock, null, null);
  }

  /**
   * With {@code changeFetches}, a tenant's changes are fetched as {@link ChangeFetchPlan} says.
   * With {@code setAside}, an item the store refuses is recorded there; without, only logged and
   * counted. Either way it is put aside and the rest is stored.
   */
  public TenantSync(
      XeroReads xero,
      TenantXero.Tokens tokens,
      InvoiceStore invoices,
      ContactStore contacts,
      CreditStore credits,
      Connections connections,
      @Nullable SyncQueue queue,
      Clock clock,
      @Nullable ChangeFetches changeFetches,
      @Nullable SetAsideItems setAside) {
    this(
        new TenantReads(xero, tokens, TenantReads.Sleeper.THREAD),
        SyncRecords.Invoices.of(invoices),
        SyncRecords.Contacts.of(contacts),
        SyncRecords.Credits.of(credits),
        SyncRecords.Tenants.of(connections),
        changeFetches == null ? null : SyncRecords.ChangeFetchLog.of(changeFetches),
        queue == null ? null : queue::send,
        clock,
        TenantReads.Sleeper.THREAD,
        queue == null ? null : new InitialSyncStarter(connections, queue, clock),
        setAside == null ? UNRECORDED : SyncRecords.SetAsideLog.of(setAside));
  }

  /** Classifies as the store does; records nothing beyond the log line and the metric. */
  private static final SyncRecords.SetAsideLog UNRECORDED =
      new SyncRecords.SetAsideLog() {
        @Override
        public boolean refused(RuntimeException e) {
          return SetAsideItems.refusedByStore(e);
        }

        @Override
        public void put(String tenantId, String kind, String id, String reason) {}
      };

  TenantSync(
      TenantReads reads,
      SyncRecords.Invoices invoices,
      SyncRecords.Contacts contacts,
      SyncRecords.Credits credits,
      SyncRecords.Tenants connections,
      SyncRecords.@Nullable ChangeFetchLog changeFetches,
      @Nullable Consumer<SyncRequest> queue,
      Clock clock,
      TenantReads.Sleeper sleeper,
      @Nullable InitialSyncStarter starter,
      SyncRecords.SetAsideLog setAsideLog) {
    SetAsideWrites setAside = new SetAsideWrites(setAsideLog);
    InvoiceSync invoiceSync = new InvoiceSync(reads, invoices, credits, setAside);
    // The initial sync stores history: no business event per historic record.
    InvoiceSync historicSync =
        new InvoiceSync(reads, invoices.historicInvoices(), credits, setAside);
    SyncRecords.Contacts historicContacts = setAside.contacts(contacts.historicContacts());
    contacts = setAside.contacts(contacts);
    CreditSync creditSync = new CreditSync(reads, credits, invoiceSync);
    this.changes =
        new ChangeSync(
            reads, invoiceSync, creditSync, invoices, contacts, changeFetches, clock, sleeper);
    this.initial =
        new InitialSyncPages(
            reads, historicSync, historicContacts, connections, queue, changeFetches, clock);
    this.reconciliation =
        new Reconciliation(reads, invoiceSync, creditSync, contacts, connections, clock);
    this.starter = starter;
  }

  /** See {@link ChangeSync#changes}. */
  @Override
  public Map<UpsertOutcome, Integer> syncChanges(
      String tenantId,
      Map<String, Instant> invoiceSentAt,
      Map<String, Instant> changedAt,
      Collection<String> contactIds,
      @Nullable String correlationId)
      throws SyncFailure {
    return changes.changes(tenantId, invoiceSentAt, changedAt, contactIds, correlationId);
  }

  /** The credits named, and the invoices they are or were allocated to. */
  @Override
  public void syncCredits(
      String tenantId,
      Map<XeroAllocation.Kind, ? extends Collection<String>> creditIds,
      @Nullable String correlationId)
      throws SyncFailure {
    changes.credits(tenantId, creditIds, correlationId);
  }

  /** Registers the tenant as PENDING and queues the first page of its initial sync. */
  public void startInitialSync(String tenantId, @Nullable String correlationId) {
    if (starter == null) {
      throw new IllegalStateException("built without a sync queue: no initial sync to start");
    }
    starter.start(tenantId, correlationId);
  }

  /** One page of the initial sync, then a checkpoint, then the next step is queued. */
  @Override
  public void initialSyncStep(String tenantId, @Nullable String correlationId) throws SyncFailure {
    initial.step(tenantId, correlationId);
  }

  /** A sweep for what webhooks missed. */
  @Override
  public void reconcile(String tenantId, @Nullable String correlationId) throws SyncFailure {
    reconciliation.sweep(tenantId, correlationId);
  }
}
