package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.store.CreditStore;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Credit notes, overpayments and prepayments: each one read is stored, then every invoice it was
 * ever allocated to is read again, so a new allocation lowers the invoice's balance and a deleted
 * one reopens it. Everything here is idempotent: a retry stores nothing twice and re-reads the same
 * invoices.
 */
final class CreditSync {
  private static final Log LOG = Log.of(CreditSync.class);

  /** TenantSync's guarded call: token refresh, retries, rate limits. */
  interface Caller {
    <T> T call(String tenantId, TenantXero.Call<T> call) throws SyncFailure;
  }

  /** Reads invoices again by id and stores them. */
  interface Rereader {
    void reread(String tenantId, Collection<String> invoiceIds) throws SyncFailure;
  }

  private final XeroApi xero;
  private final CreditStore store;
  private final Caller caller;
  private final Rereader rereader;

  CreditSync(XeroApi xero, CreditStore store, Caller caller, Rereader rereader) {
    this.xero = xero;
    this.store = store;
    this.caller = caller;
    this.rereader = rereader;
  }

  /** Remembers which invoices the credits on these invoices are allocated to. */
  void rememberAllocations(String tenantId, Collection<XeroInvoice> invoices) {
    for (XeroInvoice invoice : invoices) {
      for (XeroAllocation a : invoice.allocations()) {
        if (a.id() != null) {
          store.rememberAllocation(tenantId, a.kind(), a.id(), invoice.invoiceId());
        }
      }
    }
  }

  /** The credits named (by a CREDITNOTE webhook or a refund payment), one call each. */
  void byIds(String tenantId, Map<XeroAllocation.Kind, ? extends Collection<String>> ids)
      throws SyncFailure {
    Set<String> invoices = new LinkedHashSet<>();
    for (var entry : ids.entrySet()) {
      for (String id : entry.getValue()) {
        Optional<XeroCredit> credit =
            caller.call(tenantId, token -> xero.credit(tenantId, token, entry.getKey(), id));
        if (credit.isPresent()) {
          invoices.addAll(store.upsert(tenantId, credit.get()));
        } else {
          // Gone from Xero: the invoices it was allocated to are read again all the same.
          store.get(tenantId, id).ifPresent(c -> invoices.addAll(store.upsert(tenantId, c)));
        }
      }
    }
    if (!invoices.isEmpty()) {
      rereader.reread(tenantId, invoices);
    }
  }

  /**
   * The reconcile sweep's part: every kind of credit modified since its watermark (less the
   * overlap), then the invoices they touch, except those the invoice sweep has just read. Returns
   * the ids of the credits it read.
   */
  Set<String> sweep(String tenantId, Instant now, Set<String> invoicesRead, Duration overlap)
      throws SyncFailure {
    Set<String> read = new LinkedHashSet<>();
    for (XeroAllocation.Kind kind : XeroAllocation.Kind.values()) {
      Instant since = store.watermark(tenantId, kind);
      since = since == null ? now.minus(Duration.ofDays(1)) : since;
      Instant from = since.minus(overlap);
      Instant max = since;
      Set<String> invoices = new LinkedHashSet<>();
      for (int p = 1; ; p++) {
        int pageNo = p;
        XeroPage<XeroCredit> page =
            caller.call(
                tenantId, token -> xero.creditsModifiedSince(tenantId, token, kind, from, pageNo));
        for (XeroCredit c : page.items()) {
          invoices.addAll(store.upsert(tenantId, c));
          read.add(c.creditId());
          if (c.updatedDateUtc() != null && c.updatedDateUtc().isAfter(max)) {
            max = c.updatedDateUtc();
          }
        }
        if (page.items().size() < XeroApi.MAX_PAGE_SIZE) {
          break;
        }
      }
      invoices.removeAll(invoicesRead);
      if (!invoices.isEmpty()) {
        rereader.reread(tenantId, invoices);
      }
      store.saveWatermark(tenantId, kind, max);
    }
    if (!read.isEmpty()) {
      LOG.info("credits reconciled", "tenantId", tenantId, "credits", read.size());
    }
    return read;
  }
}
