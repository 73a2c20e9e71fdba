package dev.xerosync.syncengine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Log;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.Connection;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.PaymentTarget;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroDates;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Brings one tenant's data from Xero into the store: the changes a webhook named, the initial sync
 * one checkpointed page at a time, and reconciliation sweeps that catch what webhooks missed.
 * Everything it writes is idempotent and ordered by Xero's UpdatedDateUTC, so a repeat, a replay or
 * an out-of-order read changes nothing.
 */
public final class TenantSync {
  private static final Log LOG = Log.of(TenantSync.class);
  private static final int MAX_ATTEMPTS = 4;

  /** Reconciliation reads back this far before its watermark: Xero's timestamps can land late. */
  static final Duration OVERLAP = Duration.ofMinutes(5);

  private static final int PAGE_SIZE = XeroApi.MAX_PAGE_SIZE;

  private final XeroApi xero;
  private final TenantXero xeroAccess;
  private final InvoiceStore invoices;
  private final ContactStore contacts;
  private final Connections connections;
  private final SyncQueue queue;
  private final Clock clock;
  private final CreditSync credits;

  /** Null: changes are always fetched by {@code IDs=}, as they are named. */
  private final ChangeFetches changeFetches;

  public TenantSync(
      XeroApi xero,
      TenantXero.Tokens tokens,
      InvoiceStore invoices,
      ContactStore contacts,
      CreditStore creditStore,
      Connections connections,
      SyncQueue queue,
      Clock clock) {
    this(xero, tokens, invoices, contacts, creditStore, connections, queue, clock, null);
  }

  /** With {@code changeFetches}, a tenant's changes are fetched as {@link ChangeFetchPlan} says. */
  public TenantSync(
      XeroApi xero,
      TenantXero.Tokens tokens,
      InvoiceStore invoices,
      ContactStore contacts,
      CreditStore creditStore,
      Connections connections,
      SyncQueue queue,
      Clock clock,
      ChangeFetches changeFetches) {
    this.changeFetches = changeFetches;
    this.xero = xero;
    this.xeroAccess = new TenantXero(tokens);
    this.invoices = invoices;
    this.contacts = contacts;
    this.connections = connections;
    this.queue = queue;
    this.clock = clock;
    this.credits = new CreditSync(xero, creditStore, this::call, this::rereadInvoices);
  }

  /**
   * The credits named (credit notes a CREDITNOTE webhook named), and the invoices they are or were
   * allocated to.
   */
  public void syncCredits(
      String tenantId,
      Map<XeroAllocation.Kind, ? extends Collection<String>> creditIds,
      String correlationId)
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

  private void rereadInvoices(String tenantId, Collection<String> invoiceIds) throws SyncFailure {
    for (List<String> ids : xero.invoiceIdCalls(invoiceIds)) {
      upsertInvoices(tenantId, call(tenantId, token -> xero.invoicesByIds(tenantId, token, ids)));
    }
  }

  /**
   * The invoices and contacts a webhook named, fetched in as few calls as Xero's URL limit allows.
   * Each call's invoices are stored before the next call, so a failure part-way (a spent rate
   * budget) names in {@link SyncFailure#remaining()} only the ids not yet fetched.
   */
  public Map<UpsertOutcome, Integer> syncChanges(
      String tenantId,
      Collection<String> invoiceIds,
      Collection<String> contactIds,
      String correlationId)
      throws SyncFailure {
    Map<String, Instant> unknownSent = new LinkedHashMap<>();
    invoiceIds.forEach(id -> unknownSent.put(id, null));
    return syncChanges(tenantId, unknownSent, Map.of(), contactIds, correlationId);
  }

  /**
   * The changes named by messages, each invoice id with when the latest message naming it was sent
   * to the queue (null if unknown). With a change-fetch record, ids that an earlier
   * If-Modified-Since read already covers cost nothing, and the rest are fetched as {@link
   * ChangeFetchPlan} decides; without one, by {@code IDs=}. {@code changedAt} holds, where the
   * webhook said, when Xero last changed an id: one stored at least that new is already up to date
   * (our own write-back, stored from Xero's answer, is the usual case) and costs no call. Both
   * dates are Xero's; a stored copy dated earlier, or no date, means a fetch.
   */
  public Map<UpsertOutcome, Integer> syncChanges(
      String tenantId,
      Map<String, Instant> invoiceSentAt,
      Map<String, Instant> changedAt,
      Collection<String> contactIds,
      String correlationId)
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
          dated.isEmpty() ? Map.of() : invoices.updatedAtAll(tenantId, dated);
      for (String id : dated) {
        Instant changed = changedAt.get(id);
        Optional<Instant> at = Optional.ofNullable(storedAt.get(id));
        if (changed != null && at.filter(a -> !a.isBefore(changed)).isPresent()) {
          invoicesLeft.remove(id);
          stored++;
        } else if (last != null
            && ChangeFetchPlan.mayBeCovered(last, invoiceSentAt.get(id))
            && ChangeFetchPlan.covered(last, invoiceSentAt.get(id), at)) {
          invoicesLeft.remove(id);
          covered++;
        }
      }
      if (last != null && !invoicesLeft.isEmpty()) {
        if (!invoicesLeft.isEmpty()) {
          ChangeFetchPlan.Decision plan =
              ChangeFetchPlan.decide(
                  last,
                  clock.instant(),
                  invoicesLeft.size(),
                  xero.invoiceIdCalls(invoicesLeft).get(0).size());
          bySince = plan.bySince();
          sleepUntil(plan.notBefore());
          Instant startedAt = clock.instant();
          int named = invoicesLeft.size();
          Instant since = null;
          if (plan.bySince()) {
            List<Instant> sent = new ArrayList<>();
            invoicesLeft.forEach(id -> sent.add(invoiceSentAt.get(id)));
            since = ChangeFetchPlan.since(sent, startedAt);
            for (XeroInvoice i : readModifiedSince(tenantId, since, outcomes)) {
              invoicesLeft.remove(i.invoiceId());
            }
          }
          // Named but not read by date: changed before the read's window (a late webhook).
          fetchByIds(tenantId, invoicesLeft, outcomes);
          changeFetches.put(tenantId, ChangeFetchPlan.after(last, startedAt, named, since));
        }
      } else {
        fetchByIds(tenantId, invoicesLeft, outcomes);
      }
      for (List<String> ids : xero.contactIdCalls(contactIds)) {
        for (XeroContact c : call(tenantId, token -> xero.contactsByIds(tenantId, token, ids))) {
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

  /** Fetches and stores the ids one {@code IDs=} call at a time, removing each call's from left. */
  private void fetchByIds(String tenantId, Set<String> left, Map<UpsertOutcome, Integer> outcomes)
      throws SyncFailure {
    for (List<String> ids : xero.invoiceIdCalls(List.copyOf(left))) {
      List<XeroInvoice> fetched = call(tenantId, token -> xero.invoicesByIds(tenantId, token, ids));
      upsertInvoices(tenantId, fetched).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
      ids.forEach(left::remove);
    }
  }

  /**
   * Every invoice modified since the instant, stored page by page; the next page is asked from the
   * last one's UpdatedDateUTC (less a second), so an invoice that changes meanwhile moves forward
   * into a later page instead of slipping between two. Returns what was read.
   */
  private List<XeroInvoice> readModifiedSince(
      String tenantId, Instant since, Map<UpsertOutcome, Integer> outcomes) throws SyncFailure {
    List<XeroInvoice> read = new ArrayList<>();
    Instant cursor = since;
    int pageNumber = 1;
    while (true) {
      Instant from = cursor;
      int p = pageNumber;
      XeroPage<XeroInvoice> page =
          call(
              tenantId,
              token -> xero.invoicesModifiedSince(tenantId, token, from, null, p, PAGE_SIZE));
      upsertInvoices(tenantId, page.items()).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
      read.addAll(page.items());
      if (page.items().size() < PAGE_SIZE) {
        return read;
      }
      Instant lastUpdated = page.items().get(page.items().size() - 1).updatedDateUtc();
      if (lastUpdated.getEpochSecond() > cursor.getEpochSecond()) {
        cursor = lastUpdated.minusSeconds(1);
        pageNumber = 1;
      } else {
        pageNumber++;
      }
    }
  }

  /** Registers the tenant as PENDING and queues the first page of its initial sync. */
  public void startInitialSync(String tenantId, String correlationId) {
    new InitialSyncStarter(connections, queue, clock).start(tenantId, correlationId);
  }

  /**
   * One page of the initial sync, then a checkpoint, then the next page is queued. A run killed at
   * any point redoes at most one page, and redoing a page changes nothing.
   */
  public void initialSyncStep(String tenantId, String correlationId) throws SyncFailure {
    Connection connection = connections.get(tenantId).orElse(null);
    if (connection == null
        || connection.initialSync() == null
        || connection.initialSync().phase() == Phase.DONE) {
      return;
    }
    InitialSync s = connection.initialSync();
    boolean first =
        s.phase() == Phase.RECENT && s.cursorMs() == 0 && s.page() == 1 && s.processed() == 0;
    long total = s.total();
    if (first) {
      var org = call(tenantId, token -> xero.organisation(tenantId, token));
      connections.putOrganisation(tenantId, org);
      XeroPage<XeroInvoice> olderCount =
          call(
              tenantId,
              token ->
                  xero.invoicesModifiedSince(tenantId, token, null, olderThan(s.cutoff()), 1, 1));
      total = count(olderCount);
    }
    InitialSync next;
    if (s.phase() == Phase.CONTACTS) {
      XeroPage<XeroContact> page =
          call(tenantId, token -> xero.contactsModifiedSince(tenantId, token, null, s.page()));
      page.items().forEach(c -> contacts.upsert(tenantId, c));
      if (page.items().size() >= PAGE_SIZE) {
        next =
            new InitialSync(
                Phase.CONTACTS,
                s.cutoff(),
                0,
                s.page() + 1,
                s.processed(),
                total,
                s.startedAt(),
                s.recentQueryableAt(),
                null);
      } else {
        finishInitialSync(tenantId, s);
        return;
      }
    } else {
      String where = s.phase() == Phase.RECENT ? onOrAfter(s.cutoff()) : olderThan(s.cutoff());
      Instant since = s.cursorMs() == 0 ? null : Instant.ofEpochMilli(s.cursorMs()).minusSeconds(1);
      XeroPage<XeroInvoice> page =
          call(
              tenantId,
              token ->
                  xero.invoicesModifiedSince(tenantId, token, since, where, s.page(), PAGE_SIZE));
      if (first) {
        total += count(page);
      }
      upsertInvoices(tenantId, page.items());
      next =
          InitialSyncPlan.afterInvoicePage(
              s,
              page.items().stream().map(XeroInvoice::updatedDateUtc).toList(),
              PAGE_SIZE,
              total,
              clock.instant());
      if (s.phase() == Phase.RECENT && next.phase() == Phase.OLDER) {
        LOG.info(
            "last 12 months synced and queryable",
            "tenantId",
            tenantId,
            "invoices",
            next.processed(),
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
    queue.send(SyncRequest.initialStep(tenantId, stepOf(next), correlationId));
  }

  /**
   * Names a step of the initial sync. Any INITIAL message runs the stored step; the name only keeps
   * consecutive steps apart in FIFO deduplication, and collapses duplicate chains into one.
   */
  public static String stepOf(InitialSync s) {
    return s.startedAt().toEpochMilli() + ":" + s.phase() + ":" + s.cursorMs() + ":" + s.page();
  }

  private void finishInitialSync(String tenantId, InitialSync s) {
    Instant now = clock.instant();
    boolean saved =
        connections.saveInitialSync(
            tenantId,
            s,
            new InitialSync(
                Phase.DONE,
                s.cutoff(),
                0,
                1,
                s.total(),
                s.total(),
                s.startedAt(),
                s.recentQueryableAt(),
                now),
            ConnectionStatus.CONNECTED);
    if (!saved) {
      return; // Disconnected, or another run of this step finished it.
    }
    // Anything that changed while the initial sync ran is read again by the first sweep.
    connections.saveWatermarks(
        tenantId, s.startedAt(), s.startedAt(), s.startedAt(), s.startedAt(), now);
    LOG.info(
        "initial sync finished",
        "tenantId",
        tenantId,
        "invoices",
        s.total(),
        "seconds",
        Duration.between(s.startedAt(), now).toSeconds());
  }

  /**
   * A sweep for what webhooks missed: invoices, payments, credit notes, overpayments, prepayments
   * and contacts modified since the last sweep's watermark (less an overlap). When nothing changed
   * it costs six calls.
   */
  public void reconcile(String tenantId, String correlationId) throws SyncFailure {
    Connection c = connections.get(tenantId).orElse(null);
    if (c == null
        || (c.status() != ConnectionStatus.CONNECTED
            && c.status() != ConnectionStatus.RATE_LIMITED)) {
      return;
    }
    Instant now = clock.instant();
    Instant invoicesSince = orDefault(c.invoicesSince(), now);
    Instant maxInvoice = invoicesSince;
    Set<String> seen = new LinkedHashSet<>();
    Instant cursor = invoicesSince.minus(OVERLAP);
    int pageNumber = 1;
    while (true) {
      Instant since = cursor;
      int p = pageNumber;
      XeroPage<XeroInvoice> page =
          call(
              tenantId,
              token -> xero.invoicesModifiedSince(tenantId, token, since, null, p, PAGE_SIZE));
      upsertInvoices(tenantId, page.items());
      for (XeroInvoice i : page.items()) {
        seen.add(i.invoiceId());
        maxInvoice = max(maxInvoice, i.updatedDateUtc());
      }
      if (page.items().size() < PAGE_SIZE) {
        break;
      }
      Instant last = page.items().get(page.items().size() - 1).updatedDateUtc();
      if (last.getEpochSecond() > cursor.getEpochSecond()) {
        cursor = last.minusSeconds(1);
        pageNumber = 1;
      } else {
        pageNumber++;
      }
    }

    // Xero sends no payment webhooks: a payment made or reversed shows here, and its invoice is
    // re-read. A payment of a credit (a refund) names the credit, never an invoice: that credit is
    // read again instead.
    Instant paymentsSince = orDefault(c.paymentsSince(), now);
    Instant maxPayment = paymentsSince;
    Set<String> touched = new LinkedHashSet<>();
    Map<XeroAllocation.Kind, Set<String>> refunded = new EnumMap<>(XeroAllocation.Kind.class);
    for (int p = 1; ; p++) {
      int pageNo = p;
      XeroPage<JsonNode> page =
          call(
              tenantId,
              token ->
                  xero.paymentsModifiedSince(
                      tenantId, token, paymentsSince.minus(OVERLAP), pageNo));
      for (JsonNode payment : page.items()) {
        PaymentTarget target = PaymentTarget.of(payment);
        if (target != null && target.isInvoice() && !seen.contains(target.id())) {
          touched.add(target.id());
        } else if (target != null && !target.isInvoice()) {
          refunded
              .computeIfAbsent(target.creditKind(), k -> new LinkedHashSet<>())
              .add(target.id());
        }
        Instant updated = XeroDates.instant(payment.path("UpdatedDateUTC").asText(null));
        maxPayment = updated == null ? maxPayment : max(maxPayment, updated);
      }
      if (page.items().size() < PAGE_SIZE) {
        break;
      }
    }
    if (!touched.isEmpty()) {
      rereadInvoices(tenantId, touched);
    }
    Set<String> invoicesRead = new LinkedHashSet<>(seen);
    invoicesRead.addAll(touched);
    Set<String> creditsRead = credits.sweep(tenantId, now, invoicesRead, OVERLAP);
    refunded.values().forEach(ids -> ids.removeAll(creditsRead));
    refunded.values().removeIf(Set::isEmpty);
    if (!refunded.isEmpty()) {
      credits.byIds(tenantId, refunded);
    }

    Instant contactsSince = orDefault(c.contactsSince(), now);
    Instant maxContact = contactsSince;
    for (int p = 1; ; p++) {
      int pageNo = p;
      XeroPage<XeroContact> page =
          call(
              tenantId,
              token ->
                  xero.contactsModifiedSince(
                      tenantId, token, contactsSince.minus(OVERLAP), pageNo));
      for (XeroContact contact : page.items()) {
        contacts.upsert(tenantId, contact);
        maxContact =
            contact.updatedDateUtc() == null
                ? maxContact
                : max(maxContact, contact.updatedDateUtc());
      }
      if (page.items().size() < PAGE_SIZE) {
        break;
      }
    }

    Instant orgFetched = c.organisationFetchedAt();
    if (orgFetched == null || orgFetched.isBefore(now.minus(Duration.ofDays(1)))) {
      connections.putOrganisation(
          tenantId, call(tenantId, token -> xero.organisation(tenantId, token)));
      orgFetched = now;
    }
    connections.saveWatermarks(tenantId, maxInvoice, maxPayment, maxContact, orgFetched, now);
    if (c.status() == ConnectionStatus.RATE_LIMITED) {
      connections.setStatus(tenantId, ConnectionStatus.CONNECTED, null, null);
    }
    LOG.info(
        "reconciled",
        "tenantId",
        tenantId,
        "invoicesChanged",
        seen.size(),
        "paymentInvoicesReread",
        touched.size(),
        "correlationId",
        correlationId);
  }

  private Map<UpsertOutcome, Integer> upsertInvoices(String tenantId, List<XeroInvoice> fetched) {
    List<XeroInvoice> batch = InvoiceProblems.storable(tenantId, fetched);
    Map<UpsertOutcome, Integer> outcomes = upsertEach(tenantId, batch);
    credits.rememberAllocations(tenantId, batch);
    return outcomes;
  }

  private Map<UpsertOutcome, Integer> upsertEach(String tenantId, List<XeroInvoice> batch) {
    if (batch.size() <= 1) {
      Map<UpsertOutcome, Integer> outcomes = new EnumMap<>(UpsertOutcome.class);
      batch.forEach(i -> outcomes.merge(invoices.upsert(tenantId, i), 1, Integer::sum));
      return outcomes;
    }
    return invoices.upsertAll(tenantId, batch);
  }

  /**
   * One Xero call with the tenant's token: refreshed once on 401 (by {@link TenantXero}), retried
   * with backoff on 5xx and timeouts.
   */
  private <T> T call(String tenantId, TenantXero.Call<T> call) throws SyncFailure {
    for (int attempt = 1; ; attempt++) {
      try {
        return xeroAccess.call(tenantId, call);
      } catch (TokenRefreshException e) {
        throw SyncFailure.fromToken(tenantId, e);
      } catch (XeroApiException e) {
        if (e.isForbidden()) {
          throw SyncFailure.reconnectNeeded(tenantId, e);
        }
        if (e.isRateLimited()) {
          throw SyncFailure.rateLimited(tenantId, e);
        }
        if (!e.isRetryable() || attempt >= MAX_ATTEMPTS) {
          throw SyncFailure.transientFailure(tenantId, e);
        }
        sleep(Backoff.delay(attempt, ThreadLocalRandom.current()));
      }
    }
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

  private static long count(XeroPage<?> page) {
    return page.itemCount() != null ? page.itemCount() : page.items().size();
  }

  private static Instant orDefault(Instant value, Instant fallback) {
    return value == null ? fallback.minus(Duration.ofDays(1)) : value;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private void sleepUntil(Instant when) {
    long ms = Duration.between(clock.instant(), when).toMillis();
    if (ms > 0) {
      sleep(Duration.ofMillis(ms));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
