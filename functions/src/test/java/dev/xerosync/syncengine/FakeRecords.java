package dev.xerosync.syncengine;

import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store in memory, for one tenant at a time: every write is also appended to {@link #writes},
 * so a test can check what was stored before what.
 */
final class FakeRecords
    implements SyncRecords.Invoices,
        SyncRecords.Contacts,
        SyncRecords.Credits,
        SyncRecords.Tenants,
        SyncRecords.SetAsideLog {
  final Map<String, XeroInvoice> invoices = new LinkedHashMap<>();
  final Map<String, XeroContact> contacts = new LinkedHashMap<>();
  final Map<String, XeroCredit> credits = new LinkedHashMap<>();
  final Map<String, Set<String>> allocations = new HashMap<>();
  final Map<XeroAllocation.Kind, Instant> creditWatermarks =
      new EnumMap<>(XeroAllocation.Kind.class);
  final Map<String, Connection> connections = new HashMap<>();
  final Map<String, ChangeFetch> changeFetches = new HashMap<>();
  final List<String> writes = new ArrayList<>();

  /** Ids the store refuses, as DynamoDB refuses an amount past its range (all or nothing). */
  final Set<String> refusing = new HashSet<>();

  /** Items put aside, as "kind id". */
  final List<String> setAside = new ArrayList<>();

  /** Runs as a checkpoint save begins: what another run or a disconnect does meanwhile. */
  Runnable beforeCheckpoint = () -> {};

  @Override
  public UpsertOutcome upsert(String tenantId, XeroInvoice invoice) {
    refuse(invoice.invoiceId());
    writes.add("invoice " + invoice.invoiceId());
    XeroInvoice before = invoices.put(invoice.invoiceId(), invoice);
    if (before == null) {
      return UpsertOutcome.CREATED;
    }
    // As the store: the same UpdatedDateUTC again changes nothing.
    return java.util.Objects.equals(before.updatedDateUtc(), invoice.updatedDateUtc())
        ? UpsertOutcome.UNCHANGED
        : UpsertOutcome.UPDATED;
  }

  @Override
  public Map<UpsertOutcome, Integer> upsertAll(String tenantId, List<XeroInvoice> batch) {
    batch.forEach(i -> refuse(i.invoiceId()));
    Map<UpsertOutcome, Integer> out = new EnumMap<>(UpsertOutcome.class);
    batch.forEach(i -> out.merge(upsert(tenantId, i), 1, Integer::sum));
    return out;
  }

  @Override
  public Map<String, Instant> updatedAtAll(String tenantId, Collection<String> ids) {
    Map<String, Instant> out = new HashMap<>();
    for (String id : ids) {
      XeroInvoice i = invoices.get(id);
      if (i != null && i.updatedDateUtc() != null) {
        out.put(id, i.updatedDateUtc());
      }
    }
    return out;
  }

  @Override
  public void upsert(String tenantId, XeroContact contact) {
    refuse(contact.contactId());
    writes.add("contact " + contact.contactId());
    contacts.put(contact.contactId(), contact);
  }

  @Override
  public Set<String> upsert(String tenantId, XeroCredit credit) {
    writes.add("credit " + credit.creditId());
    credits.put(credit.creditId(), credit);
    Set<String> touched =
        allocations.computeIfAbsent(credit.creditId(), k -> new LinkedHashSet<>());
    credit.allocations().forEach(a -> touched.add(a.invoiceId()));
    return new LinkedHashSet<>(touched);
  }

  @Override
  public void rememberAllocation(
      String tenantId, XeroAllocation.Kind kind, String creditId, String invoiceId) {
    allocations.computeIfAbsent(creditId, k -> new LinkedHashSet<>()).add(invoiceId);
  }

  @Override
  public Optional<XeroCredit> get(String tenantId, String creditId) {
    return Optional.ofNullable(credits.get(creditId));
  }

  @Override
  public Instant watermark(String tenantId, XeroAllocation.Kind kind) {
    return creditWatermarks.get(kind);
  }

  @Override
  public void saveWatermark(String tenantId, XeroAllocation.Kind kind, Instant since) {
    writes.add("credit watermark " + kind);
    creditWatermarks.put(kind, since);
  }

  // Items put aside

  @Override
  public boolean refused(RuntimeException e) {
    return e instanceof IllegalArgumentException;
  }

  @Override
  public void put(String tenantId, String kind, String id, String reason) {
    setAside.add(kind + " " + id);
  }

  private void refuse(String id) {
    if (refusing.contains(id)) {
      throw new IllegalArgumentException("Number overflow: " + id);
    }
  }

  // Connections

  @Override
  public Optional<Connection> get(String tenantId) {
    return Optional.ofNullable(connections.get(tenantId));
  }

  @Override
  public void putOrganisation(String tenantId, XeroOrganisation organisation) {
    writes.add("organisation");
  }

  @Override
  public boolean saveInitialSync(
      String tenantId,
      Connection.InitialSync from,
      Connection.InitialSync next,
      ConnectionStatus status) {
    beforeCheckpoint.run();
    Connection c = connections.get(tenantId);
    if (c == null || c.status() == ConnectionStatus.DISCONNECTED || !from.equals(c.initialSync())) {
      return false;
    }
    writes.add(
        "checkpoint " + next.phase() + " cursor=" + next.cursorMs() + " page=" + next.page());
    connections.put(tenantId, with(c, status, c.statusReason(), c.rateLimitedUntil(), next));
    return true;
  }

  /** Each sweep noted, as "tenant clean" or "tenant missed". */
  public final List<String> sweeps = new ArrayList<>();

  @Override
  public void recordSweep(String tenantId, Instant sweptAt, boolean clean) {
    sweeps.add(tenantId + (clean ? " clean" : " missed"));
  }

  @Override
  public void saveWatermarks(
      String tenantId,
      Instant invoicesSince,
      Instant paymentsSince,
      Instant contactsSince,
      Instant organisationFetchedAt,
      Instant reconciledAt) {
    writes.add("watermarks");
    Connection c = connections.get(tenantId);
    connections.put(
        tenantId,
        new Connection(
            tenantId,
            c.status(),
            c.statusReason(),
            c.rateLimitedUntil(),
            c.initialSync(),
            invoicesSince,
            paymentsSince,
            contactsSince,
            organisationFetchedAt,
            reconciledAt));
  }

  @Override
  public void setStatus(
      String tenantId, ConnectionStatus status, String reason, Instant rateLimitedUntil) {
    writes.add("status " + status);
    Connection c = connections.get(tenantId);
    connections.put(tenantId, with(c, status, reason, rateLimitedUntil, c.initialSync()));
  }

  /** The change-fetch records, kept in {@link #changeFetches}. */
  SyncRecords.ChangeFetchLog changeFetchLog() {
    return new SyncRecords.ChangeFetchLog() {
      @Override
      public ChangeFetch get(String tenantId) {
        return changeFetches.getOrDefault(tenantId, ChangeFetch.NONE);
      }

      @Override
      public void put(String tenantId, ChangeFetch fetch) {
        changeFetches.put(tenantId, fetch);
      }
    };
  }

  /** A connection in this status with no initial sync and no watermarks. */
  void connect(String tenantId, ConnectionStatus status) {
    connections.put(
        tenantId, new Connection(tenantId, status, null, null, null, null, null, null, null, null));
  }

  private static Connection with(
      Connection c,
      ConnectionStatus status,
      String reason,
      Instant until,
      Connection.InitialSync initial) {
    return new Connection(
        c.tenantId(),
        status,
        reason,
        until,
        initial,
        c.invoicesSince(),
        c.paymentsSince(),
        c.contactsSince(),
        c.organisationFetchedAt(),
        c.lastReconciledAt());
  }
}
