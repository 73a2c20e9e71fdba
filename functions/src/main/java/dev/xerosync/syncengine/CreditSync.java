package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroCredit;
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

  private final TenantReads reads;
  private final SyncRecords.Credits store;
  private final InvoiceSync invoices;

  CreditSync(TenantReads reads, SyncRecords.Credits store, InvoiceSync invoices) {
    this.reads = reads;
    this.store = store;
    this.invoices = invoices;
  }

  /** The credits named (by a CREDITNOTE webhook or a refund payment), one call each. */
  void byIds(String tenantId, Map<XeroAllocation.Kind, ? extends Collection<String>> ids)
      throws SyncFailure {
    Set<String> touched = new LinkedHashSet<>();
    for (var entry : ids.entrySet()) {
      for (String id : entry.getValue()) {
        Optional<XeroCredit> credit =
            reads.call(tenantId, (x, token) -> x.credit(tenantId, token, entry.getKey(), id));
        if (credit.isPresent()) {
          touched.addAll(store.upsert(tenantId, credit.get()));
        } else {
          // Gone from Xero: the invoices it was allocated to are read again all the same.
          store.get(tenantId, id).ifPresent(c -> touched.addAll(store.upsert(tenantId, c)));
        }
      }
    }
    if (!touched.isEmpty()) {
      invoices.reread(tenantId, touched);
    }
  }

  /**
   * The reconcile sweep's part: every kind of credit modified since its watermark (less the
   * overlap), then the invoices they touch, except those the invoice sweep has just read. A kind's
   * watermark moves only after its invoices are read again. Returns the ids of the credits read.
   */
  Set<String> sweep(String tenantId, Instant now, Set<String> invoicesRead, Duration overlap)
      throws SyncFailure {
    Set<String> read = new LinkedHashSet<>();
    for (XeroAllocation.Kind kind : XeroAllocation.Kind.values()) {
      Instant since = store.watermark(tenantId, kind);
      since = since == null ? now.minus(Duration.ofDays(1)) : since;
      Instant from = since.minus(overlap);
      Instant max = since;
      Set<String> touched = new LinkedHashSet<>();
      for (int p = 1; ; p++) {
        int pageNo = p;
        XeroPage<XeroCredit> page =
            reads.call(
                tenantId,
                (x, token) -> x.creditsModifiedSince(tenantId, token, kind, from, pageNo));
        for (XeroCredit c : page.items()) {
          touched.addAll(store.upsert(tenantId, c));
          read.add(c.creditId());
          if (c.updatedDateUtc() != null && c.updatedDateUtc().isAfter(max)) {
            max = c.updatedDateUtc();
          }
        }
        if (page.items().size() < XeroApi.MAX_PAGE_SIZE) {
          break;
        }
      }
      touched.removeAll(invoicesRead);
      if (!touched.isEmpty()) {
        invoices.reread(tenantId, touched);
      }
      store.saveWatermark(tenantId, kind, max);
    }
    if (!read.isEmpty()) {
      LOG.info("credits reconciled", "tenantId", tenantId, "credits", read.size());
    }
    return read;
  }
}
