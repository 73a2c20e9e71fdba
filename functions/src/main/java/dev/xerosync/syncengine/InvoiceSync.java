package dev.xerosync.syncengine;

import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Invoices read from Xero and stored: by {@code IDs=}, or every one modified since an instant. A
 * batch is stored as it arrives, and the credits allocated on it are remembered, so a later change
 * to a credit finds the invoices to read again.
 */
final class InvoiceSync {
  static final int PAGE_SIZE = XeroApi.MAX_PAGE_SIZE;

  /** Receives each page of a read, after it is stored. */
  @FunctionalInterface
  interface StoredPage {
    void accept(List<XeroInvoice> page);
  }

  private final TenantReads reads;
  private final SyncRecords.Invoices invoices;
  private final SyncRecords.Credits credits;
  private final SetAsideWrites setAside;

  InvoiceSync(
      TenantReads reads,
      SyncRecords.Invoices invoices,
      SyncRecords.Credits credits,
      SetAsideWrites setAside) {
    this.reads = reads;
    this.invoices = invoices;
    this.credits = credits;
    this.setAside = setAside;
  }

  /**
   * Stores what Xero sent (less what cannot be stored), then remembers its allocations. When the
   * store refuses the batch, each invoice is written alone, so only the one it refuses is put
   * aside.
   */
  Map<UpsertOutcome, Integer> store(String tenantId, List<XeroInvoice> fetched) {
    List<XeroInvoice> batch = InvoiceProblems.storable(tenantId, fetched);
    Map<UpsertOutcome, Integer> outcomes = new EnumMap<>(UpsertOutcome.class);
    List<XeroInvoice> stored = batch;
    try {
      if (batch.size() == 1) {
        outcomes.merge(invoices.upsert(tenantId, batch.get(0)), 1, Integer::sum);
      } else if (!batch.isEmpty()) {
        outcomes = invoices.upsertAll(tenantId, batch);
      }
    } catch (RuntimeException e) {
      if (!setAside.refused(e)) {
        throw e;
      }
      stored = new ArrayList<>();
      for (XeroInvoice i : batch) {
        Map<UpsertOutcome, Integer> one = outcomes;
        if (setAside.write(
            tenantId,
            SetAsideWrites.INVOICE,
            i.invoiceId(),
            () -> one.merge(invoices.upsert(tenantId, i), 1, Integer::sum))) {
          stored.add(i);
        }
      }
    }
    for (XeroInvoice invoice : stored) {
      for (XeroAllocation a : invoice.allocations()) {
        if (a.id() != null) {
          credits.rememberAllocation(
              tenantId,
              a.kind(),
              a.id(),
              Objects.requireNonNull(
                  invoice.invoiceId(), "the store refuses an invoice without an id"));
        }
      }
    }
    return outcomes;
  }

  /** Reads the invoices again by id and stores them. */
  void reread(String tenantId, Collection<String> invoiceIds) throws SyncFailure {
    for (List<String> ids : reads.xero().invoiceIdCalls(invoiceIds)) {
      store(tenantId, reads.call(tenantId, (x, token) -> x.invoicesByIds(tenantId, token, ids)));
    }
  }

  /**
   * Fetches and stores the ids one {@code IDs=} call at a time, removing each call's from {@code
   * left}, so a failure part-way leaves there only the ids not yet stored.
   */
  void byIds(String tenantId, Set<String> left, Map<UpsertOutcome, Integer> outcomes)
      throws SyncFailure {
    for (List<String> ids : reads.xero().invoiceIdCalls(List.copyOf(left))) {
      List<XeroInvoice> fetched =
          reads.call(tenantId, (x, token) -> x.invoicesByIds(tenantId, token, ids));
      store(tenantId, fetched).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
      ids.forEach(left::remove);
    }
  }

  /**
   * Every invoice modified since the instant, stored page by page; the next page is asked from the
   * last one's UpdatedDateUTC (less a second), so an invoice that changes meanwhile moves forward
   * into a later page instead of slipping between two.
   */
  void modifiedSince(
      String tenantId, Instant since, Map<UpsertOutcome, Integer> outcomes, StoredPage then)
      throws SyncFailure {
    Instant cursor = since;
    int pageNumber = 1;
    while (true) {
      Instant from = cursor;
      int p = pageNumber;
      XeroPage<XeroInvoice> page =
          reads.call(
              tenantId,
              (x, token) -> x.invoicesModifiedSince(tenantId, token, from, null, p, PAGE_SIZE));
      store(tenantId, page.items()).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
      then.accept(page.items());
      if (page.items().size() < PAGE_SIZE) {
        return;
      }
      Instant lastUpdated = page.items().get(page.items().size() - 1).updatedDateUtc();
      // Undated, the store refused it (set aside): then the next page by number.
      if (lastUpdated != null && lastUpdated.getEpochSecond() > cursor.getEpochSecond()) {
        cursor = lastUpdated.minusSeconds(1);
        pageNumber = 1;
      } else {
        pageNumber++;
      }
    }
  }
}
