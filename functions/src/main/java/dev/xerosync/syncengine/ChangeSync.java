package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The changes a webhook named: invoices and contacts fetched in as few calls as Xero's URL limit
 * allows (or, for a hot tenant, by one If-Modified-Since read as {@link ChangeFetchPlan} decides),
 * and credit notes with the invoices they are allocated to.
 */
final class ChangeSync {
  private static final Log LOG = Log.of(ChangeSync.class);

  private final TenantReads reads;
  private final InvoiceSync invoices;
  private final CreditSync credits;
  private final SyncRecords.Invoices storedInvoices;
  private final SyncRecords.Contacts contacts;

  /** Null: changes are always fetched by {@code IDs=}, as they are named. */
  private final SyncRecords.@Nullable ChangeFetchLog changeFetches;

  private final Clock clock;
  private final TenantReads.Sleeper sleeper;

  ChangeSync(
      TenantReads reads,
      InvoiceSync invoices,
      CreditSync credits,
      SyncRecords.Invoices storedInvoices,
      SyncRecords.Contacts contacts,
      SyncRecords.@Nullable ChangeFetchLog changeFetches,
      Clock clock,
      TenantReads.Sleeper sleeper) {
    this.reads = reads;
    this.invoices = invoices;
    this.credits = credits;
    this.storedInvoices = storedInvoices;
    this.contacts = contacts;
    this.changeFetches = changeFetches;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * The changes named by messages, each invoice id with when the latest message naming it was sent
   * to the queue (null if unknown). With a change-fetch record, ids that an earlier
   * If-Modified-Since read already covers cost nothing, and the rest are fetched as {@link
   * ChangeFetchPlan} decides; without one, by {@code IDs=}. {@code changedAt} holds, where the
   * webhook said, when Xero last changed an id: one stored at least that new is already up to date
   * (our own write-back, stored from Xero's answer, is the usual case) and costs no call. Both
   * dates are Xero's; a stored copy dated earlier, or no date, means a fetch.
   *
   * <p>Each call's invoices are stored before the next call, so a failure part-way (a spent rate
   * budget) names in {@link SyncFailure#remaining()} only the ids not yet fetched.
   */
  Map<UpsertOutcome, Integer> changes(
      String tenantId,
      Map<String, Instant> invoiceSentAt,
      Map<String, Instant> changedAt,
      Collection<String> contactIds,
      @Nullable String correlationId)
      throws SyncFailure {
    Map<UpsertOutcome, Integer> outcomes = new EnumMap<>(UpsertOutcome.class);
    Set<String> invoicesLeft = new LinkedHashSet<>(invoiceSentAt.keySet());
    Set<String> contactsLeft = new LinkedHashSet<>(contactIds);
    int covered = 0;
    int stored = 0;
    boolean bySince = false;
    try {
      ChangeFetch last =
          changeFetches == null || invoicesLeft.isEmpty() ? null : changeFetches.get(tenantId);
      // One batched read of the stored dates, for the ids either check below can spare.
      List<String> dated = new ArrayList<>();
      for (String id : invoicesLeft) {
        if (changedAt.get(id) != null
            || (last != null && ChangeFetchPlan.mayBeCovered(last, invoiceSentAt.get(id)))) {
          dated.add(id);
        }
      }
      Map<String, Instant> storedAt =
          dated.isEmpty() ? Map.of() : storedInvoices.updatedAtAll(tenantId, dated);
      for (String id : dated) {
        Instant changed = changedAt.get(id);
        Optional<Instant> at = Optional.ofNullable(storedAt.get(id));
        if (changed != null && at.filter(a -> !a.isBefore(changed)).isPresent()) {
          invoicesLeft.remove(id);
          stored++;
        } else if (last != null
            && ChangeFetchPlan.mayBeCovered(last, invoiceSentAt.get(id))
            && (ChangeFetchPlan.covered(last, invoiceSentAt.get(id), at)
                || ChangeFetchPlan.changeSeen(last, invoiceSentAt.get(id), changed))) {
          invoicesLeft.remove(id);
          covered++;
        }
      }
      if (last != null && !invoicesLeft.isEmpty()) {
        bySince = planned(tenantId, last, invoiceSentAt, invoicesLeft, outcomes);
      } else {
        invoices.byIds(tenantId, invoicesLeft, outcomes);
      }
      for (List<String> ids : reads.xero().contactIdCalls(contactIds)) {
        for (XeroContact c :
            reads.call(tenantId, (x, token) -> x.contactsByIds(tenantId, token, ids))) {
          contacts.upsert(tenantId, c);
        }
        ids.forEach(contactsLeft::remove);
      }
    } catch (SyncFailure e) {
      throw e.withRemaining(
          new SyncFailure.Remaining(List.copyOf(invoicesLeft), List.copyOf(contactsLeft)));
    }
    LOG.info(
        "changes synced",
        "tenantId",
        tenantId,
        "invoices",
        invoiceSentAt.size(),
        "alreadyCovered",
        covered,
        "alreadyStored",
        stored,
        "byModifiedSince",
        bySince,
        "contacts",
        contactIds.size(),
        "outcomes",
        outcomes,
        "correlationId",
        correlationId);
    return outcomes;
  }

  /**
   * Fetches what is left as {@link ChangeFetchPlan} decides, after the wait it asks for, and keeps
   * the record. Returns whether the invoices were read by date.
   */
  private boolean planned(
      String tenantId,
      ChangeFetch last,
      Map<String, Instant> invoiceSentAt,
      Set<String> left,
      Map<UpsertOutcome, Integer> outcomes)
      throws SyncFailure {
    ChangeFetchPlan.Decision plan =
        ChangeFetchPlan.decide(
            last,
            clock.instant(),
            left.size(),
            reads.xero().invoiceIdCalls(left).get(0).size(),
            () -> reads.xero().callRoom(tenantId));
    long waitMs = Duration.between(clock.instant(), plan.notBefore()).toMillis();
    if (waitMs > 0) {
      sleeper.sleep(Duration.ofMillis(waitMs));
    }
    Instant startedAt = clock.instant();
    // The heat counts what changed, not only what this batch named: after a read by date the
    // burst's next batches are mostly covered and name few ids, though the burst goes on.
    int changed = left.size();
    Instant since = null;
    if (plan.bySince()) {
      List<Instant> sent = new ArrayList<>();
      left.forEach(id -> sent.add(invoiceSentAt.get(id)));
      since = ChangeFetchPlan.since(last, sent, startedAt);
      List<String> read = new ArrayList<>();
      Map<UpsertOutcome, Integer> byDate = new EnumMap<>(UpsertOutcome.class);
      invoices.modifiedSince(
          tenantId, since, byDate, page -> page.forEach(i -> read.add(i.invoiceId())));
      byDate.forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
      changed =
          Math.max(
              changed,
              byDate.getOrDefault(UpsertOutcome.CREATED, 0)
                  + byDate.getOrDefault(UpsertOutcome.UPDATED, 0));
      read.forEach(left::remove);
    }
    // Named but not read by date: changed before the read's window (a late webhook).
    invoices.byIds(tenantId, left, outcomes);
    Objects.requireNonNull(changeFetches, "a plan follows a fetch read from the log")
        .put(tenantId, ChangeFetchPlan.after(last, startedAt, changed, since));
    return plan.bySince();
  }

  /**
   * The credits named (credit notes a CREDITNOTE webhook named), and the invoices they are or were
   * allocated to.
   */
  void credits(
      String tenantId,
      Map<XeroAllocation.Kind, ? extends Collection<String>> creditIds,
      @Nullable String correlationId)
      throws SyncFailure {
    credits.byIds(tenantId, creditIds);
    LOG.info(
        "credits synced",
        "tenantId",
        tenantId,
        "credits",
        creditIds.values().stream().mapToInt(Collection::size).sum(),
        "correlationId",
        correlationId);
  }
}
