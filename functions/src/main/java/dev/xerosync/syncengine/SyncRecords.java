package dev.xerosync.syncengine;

import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.SetAsideItems;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the sync reads and writes in the store, one narrow view per record kind, so the sync's
 * classes take an in-memory fake in unit tests. Each {@code of} adapts the store's class.
 */
public final class SyncRecords {
  private SyncRecords() {}

  /** Stored invoices. */
  public interface Invoices {
    UpsertOutcome upsert(String tenantId, XeroInvoice invoice);

    Map<UpsertOutcome, Integer> upsertAll(String tenantId, List<XeroInvoice> batch);

    /** The stored UpdatedDateUTC of each id stored (absent when not stored or undated). */
    Map<String, Instant> updatedAtAll(String tenantId, Collection<String> invoiceIds);

    /** The same invoices, written without business events: the initial sync's history. */
    default Invoices historicInvoices() {
      return this;
    }

    static Invoices of(InvoiceStore store) {
      return new Invoices() {
        @Override
        public Invoices historicInvoices() {
          InvoiceStore quiet = store.historic();
          return quiet == store ? this : of(quiet);
        }

        @Override
        public UpsertOutcome upsert(String tenantId, XeroInvoice invoice) {
          return store.upsert(tenantId, invoice);
        }

        @Override
        public Map<UpsertOutcome, Integer> upsertAll(String tenantId, List<XeroInvoice> batch) {
          return store.upsertAll(tenantId, batch);
        }

        @Override
        public Map<String, Instant> updatedAtAll(String tenantId, Collection<String> ids) {
          return store.updatedAtAll(tenantId, ids);
        }
      };
    }
  }

  /** Stored contacts. */
  @FunctionalInterface
  public interface Contacts {
    void upsert(String tenantId, XeroContact contact);

    /** A page of contacts; the store writes them in as few round trips as it can. */
    default void upsertPage(String tenantId, List<XeroContact> page) {
      page.forEach(c -> upsert(tenantId, c));
    }

    /** The same contacts, written without business events: the initial sync's history. */
    default Contacts historicContacts() {
      return this;
    }

    static Contacts of(ContactStore store) {
      return new Contacts() {
        @Override
        public void upsert(String tenantId, XeroContact contact) {
          store.upsert(tenantId, contact);
        }

        @Override
        public void upsertPage(String tenantId, List<XeroContact> page) {
          store.upsertAll(tenantId, page);
        }

        @Override
        public Contacts historicContacts() {
          ContactStore quiet = store.historic();
          return quiet == store ? this : of(quiet);
        }
      };
    }
  }

  /** Stored credit notes, overpayments and prepayments, and their sweep's watermarks. */
  public interface Credits {
    /** Stores the credit; returns the invoices it is or was allocated to. */
    Set<String> upsert(String tenantId, XeroCredit credit);

    void rememberAllocation(
        String tenantId, XeroAllocation.Kind kind, String creditId, String invoiceId);

    Optional<XeroCredit> get(String tenantId, String creditId);

    /** Null when no sweep of the kind has run. */
    @Nullable Instant watermark(String tenantId, XeroAllocation.Kind kind);

    void saveWatermark(String tenantId, XeroAllocation.Kind kind, Instant since);

    static Credits of(CreditStore store) {
      return new Credits() {
        @Override
        public Set<String> upsert(String tenantId, XeroCredit credit) {
          return store.upsert(tenantId, credit);
        }

        @Override
        public void rememberAllocation(
            String tenantId, XeroAllocation.Kind kind, String creditId, String invoiceId) {
          store.rememberAllocation(tenantId, kind, creditId, invoiceId);
        }

        @Override
        public Optional<XeroCredit> get(String tenantId, String creditId) {
          return store.get(tenantId, creditId);
        }

        @Override
        public @Nullable Instant watermark(String tenantId, XeroAllocation.Kind kind) {
          return store.watermark(tenantId, kind);
        }

        @Override
        public void saveWatermark(String tenantId, XeroAllocation.Kind kind, Instant since) {
          store.saveWatermark(tenantId, kind, since);
        }
      };
    }
  }

  /** A tenant's connection: status, the initial sync's checkpoint, the sweep's watermarks. */
  public interface Tenants {
    Optional<Connection> get(String tenantId);

    void putOrganisation(String tenantId, XeroOrganisation organisation);

    /**
     * Saves {@code next} only if the stored checkpoint is still {@code from} and the tenant is not
     * disconnected; false when nothing was saved.
     */
    boolean saveInitialSync(
        String tenantId,
        Connection.InitialSync from,
        Connection.InitialSync next,
        ConnectionStatus status);

    void saveWatermarks(
        String tenantId,
        Instant invoicesSince,
        Instant paymentsSince,
        Instant contactsSince,
        Instant organisationFetchedAt,
        Instant reconciledAt);

    /** Notes when a sweep started and whether it was clean, for the schedule (SweepPacing). */
    void recordSweep(String tenantId, Instant sweptAt, boolean clean);

    void setStatus(
        String tenantId,
        ConnectionStatus status,
        @Nullable String reason,
        @Nullable Instant rateLimitedUntil);

    static Tenants of(Connections store) {
      return new Tenants() {
        @Override
        public Optional<Connection> get(String tenantId) {
          return store.get(tenantId);
        }

        @Override
        public void putOrganisation(String tenantId, XeroOrganisation organisation) {
          store.putOrganisation(tenantId, organisation);
        }

        @Override
        public boolean saveInitialSync(
            String tenantId,
            Connection.InitialSync from,
            Connection.InitialSync next,
            ConnectionStatus status) {
          return store.saveInitialSync(tenantId, from, next, status);
        }

        @Override
        public void saveWatermarks(
            String tenantId,
            Instant invoicesSince,
            Instant paymentsSince,
            Instant contactsSince,
            Instant organisationFetchedAt,
            Instant reconciledAt) {
          store.saveWatermarks(
              tenantId,
              invoicesSince,
              paymentsSince,
              contactsSince,
              organisationFetchedAt,
              reconciledAt);
        }

        @Override
        public void recordSweep(String tenantId, Instant sweptAt, boolean clean) {
          store.recordSweep(tenantId, sweptAt, clean);
        }

        @Override
        public void setStatus(
            String tenantId,
            ConnectionStatus status,
            @Nullable String reason,
            @Nullable Instant rateLimitedUntil) {
          store.setStatus(tenantId, status, reason, rateLimitedUntil);
        }
      };
    }
  }

  /** Items the store refused, put aside so they cost only themselves. */
  public interface SetAsideLog {
    /** Whether the store refused the item itself, so writing it again cannot help. */
    boolean refused(RuntimeException e);

    void put(String tenantId, String kind, String id, String reason);

    static SetAsideLog of(SetAsideItems store) {
      return new SetAsideLog() {
        @Override
        public boolean refused(RuntimeException e) {
          return SetAsideItems.refusedByStore(e);
        }

        @Override
        public void put(String tenantId, String kind, String id, String reason) {
          store.put(tenantId, kind, id, reason);
        }
      };
    }
  }

  /** The record of a tenant's last change fetch, for {@link ChangeFetchPlan}. */
  public interface ChangeFetchLog {
    ChangeFetch get(String tenantId);

    void put(String tenantId, ChangeFetch fetch);

    static ChangeFetchLog of(ChangeFetches store) {
      return new ChangeFetchLog() {
        @Override
        public ChangeFetch get(String tenantId) {
          return store.get(tenantId);
        }

        @Override
        public void put(String tenantId, ChangeFetch fetch) {
          store.put(tenantId, fetch);
        }
      };
    }
  }
}
