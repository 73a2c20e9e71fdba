package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Invoices and the per-contact totals derived from them. An upsert writes the invoice and the
 * change it makes to its contact's totals in one conditional transaction, conditioned on the
 * version it read, so totals stay exact under concurrent and out-of-order updates.
 */
public final class InvoiceStore {
  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final ChangeEvents events;
  private final EventLog eventLog;
  private final Organisations organisations;

  /** Logs no business events: for readers, and writers that make none. */
  public InvoiceStore(DynamoDbClient dynamo, String table, Clock clock) {
    this(dynamo, table, clock, ChangeEvents.NONE);
  }

  /** Logs the business events of each change in the change's own transaction. */
  public InvoiceStore(DynamoDbClient dynamo, String table, Clock clock, ChangeEvents events) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
    this.events = events;
    this.eventLog = new EventLog(dynamo, table, clock);
    this.organisations = new Organisations(dynamo, table, clock);
  }

  /**
   * The same store logging no events: for the initial sync, whose records are history, not changes
   * a product can react to.
   */
  public InvoiceStore historic() {
    return events == ChangeEvents.NONE ? this : new InvoiceStore(dynamo, table, clock);
  }

  public UpsertOutcome upsert(String tenantId, XeroInvoice incoming) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> oldItem =
          getItem(
              Keys.invoicePk(tenantId, ItemCodec.required(incoming.invoiceId(), "InvoiceID")),
              Keys.INVOICE_SK);
      XeroInvoice old = oldItem == null ? null : ItemCodec.invoice(oldItem);
      if (old != null) {
        int order = updated(old).compareTo(updated(incoming));
        if (order > 0) {
          return UpsertOutcome.STALE;
        }
        if (order == 0) {
          return UpsertOutcome.UNCHANGED;
        }
      }
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TenantFence.check(table, tenantId));
      writes.add(conditionalPut(tenantId, incoming, oldItem));
      totalsDeltas(tenantId, old, incoming)
          .forEach((key, delta) -> writes.add(delta.asUpdate(table, key)));
      // The tenant's aging buckets move in the same transaction, so tenant aging is one Query.
      writes.addAll(AgingLedger.updates(table, tenantId, old, incoming));
      // The change's business events commit with it, so a crash after the commit loses none.
      List<TransactWriteItem> logged =
          eventLog.appendWrites(tenantId, drafts(tenantId, old, incoming));
      writes.addAll(logged);
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        if (!logged.isEmpty()) {
          events.logged(tenantId);
        }
        events.committed(tenantId, incoming.contactId());
        if (old != null && !Objects.equals(old.contactId(), incoming.contactId())) {
          // Moved to another contact: the panels showing the one it left hear of it too.
          events.committed(tenantId, old.contactId());
        }
        return old == null ? UpsertOutcome.CREATED : UpsertOutcome.UPDATED;
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, "invoice " + incoming.invoiceId())) {
          return UpsertOutcome.STALE;
        }
        if (!lostRace(e)) {
          throw e;
        }
        // Another writer changed the invoice since we read it: read again and recompute the delta.
      }
    }
    throw new IllegalStateException(
        "invoice " + incoming.invoiceId() + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * Upserts a batch, such as a page of the initial sync, in a few calls instead of two per invoice:
   * one consistent BatchGetItem per 100 invoices, then transactions of up to {@link
   * #INVOICES_PER_TRANSACTION} invoices, each with the same version conditions as {@link #upsert}
   * and its contacts' totals and the aging buckets summed, so each moves once. A transaction that
   * loses a race is all or nothing, so its invoices simply go through {@link #upsert} one by one.
   */
  public Map<UpsertOutcome, Integer> upsertAll(String tenantId, List<XeroInvoice> batch) {
    Map<UpsertOutcome, Integer> outcomes = new EnumMap<>(UpsertOutcome.class);
    // The newest version of each invoice wins, as sequential upserts would leave it.
    Map<String, XeroInvoice> latest = new LinkedHashMap<>();
    for (XeroInvoice invoice : batch) {
      XeroInvoice seen = latest.get(invoice.invoiceId());
      if (seen != null) {
        // One of the two versions is never written: the older one, as if it came second.
        outcomes.merge(UpsertOutcome.STALE, 1, Integer::sum);
        if (updated(seen).compareTo(updated(invoice)) >= 0) {
          continue;
        }
      }
      latest.put(invoice.invoiceId(), invoice);
    }
    Map<String, Map<String, AttributeValue>> stored =
        InvoiceBatchGet.items(dynamo, table, tenantId, latest.keySet(), true);
    List<XeroInvoice> chunk = new ArrayList<>();
    for (XeroInvoice incoming : latest.values()) {
      Map<String, AttributeValue> oldItem = stored.get(incoming.invoiceId());
      if (oldItem != null) {
        int order = updated(ItemCodec.invoice(oldItem)).compareTo(updated(incoming));
        if (order > 0) {
          outcomes.merge(UpsertOutcome.STALE, 1, Integer::sum);
          continue;
        }
        if (order == 0) {
          outcomes.merge(UpsertOutcome.UNCHANGED, 1, Integer::sum);
          continue;
        }
      }
      if (!drafts(tenantId, oldItem == null ? null : ItemCodec.invoice(oldItem), incoming)
          .isEmpty()) {
        // A change with events goes alone: its events and the head's sequence join its transaction.
        outcomes.merge(upsert(tenantId, incoming), 1, Integer::sum);
        continue;
      }
      chunk.add(incoming);
      if (chunk.size() == INVOICES_PER_TRANSACTION) {
        writeChunk(tenantId, chunk, stored, outcomes);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      writeChunk(tenantId, chunk, stored, outcomes);
    }
    return outcomes;
  }

  /**
   * Invoices per transaction: with their totals and aging updates well inside DynamoDB's 100
   * actions, and, at the 400 KB item limit's realistic fraction, inside its 4 MB.
   */
  static final int INVOICES_PER_TRANSACTION = 25;

  private void writeChunk(
      String tenantId,
      List<XeroInvoice> chunk,
      Map<String, Map<String, AttributeValue>> stored,
      Map<UpsertOutcome, Integer> outcomes) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TenantFence.check(table, tenantId));
    Map<TotalsKey, TotalsDelta> totals = new LinkedHashMap<>();
    var aging = new AgingLedger.Deltas();
    // The contacts whose panels hear of the chunk: each invoice's, and the one it left if moved.
    Set<String> contacts = new LinkedHashSet<>();
    for (XeroInvoice incoming : chunk) {
      Map<String, AttributeValue> oldItem = stored.get(incoming.invoiceId());
      XeroInvoice old = oldItem == null ? null : ItemCodec.invoice(oldItem);
      Stream.of(incoming.contactId(), old == null ? null : old.contactId())
          .filter(Objects::nonNull)
          .forEach(contacts::add);
      writes.add(conditionalPut(tenantId, incoming, oldItem));
      totalsDeltas(tenantId, old, incoming)
          .forEach((k, d) -> totals.merge(k, d, TotalsDelta::plus));
      aging.add(old, incoming);
    }
    totals.forEach(
        (key, delta) -> {
          if (!delta.isZero()) {
            writes.add(delta.asUpdate(table, key));
          }
        });
    writes.addAll(aging.updates(table, tenantId));
    try {
      dynamo.transactWriteItems(r -> r.transactItems(writes));
      contacts.forEach(contactId -> events.committed(tenantId, contactId));
      for (XeroInvoice incoming : chunk) {
        outcomes.merge(
            stored.containsKey(incoming.invoiceId())
                ? UpsertOutcome.UPDATED
                : UpsertOutcome.CREATED,
            1,
            Integer::sum);
      }
    } catch (TransactionCanceledException e) {
      if (TenantFence.tripped(e, tenantId, chunk.size() + " invoices")) {
        outcomes.merge(UpsertOutcome.STALE, chunk.size(), Integer::sum);
        return;
      }
      if (!lostRace(e)) {
        throw e;
      }
      // Nothing of the chunk was written; each invoice reads its current version again.
      for (XeroInvoice incoming : chunk) {
        outcomes.merge(upsert(tenantId, incoming), 1, Integer::sum);
      }
    }
  }

  /**
   * The business events of the change from {@code old} to {@code incoming}; pure but for the org.
   */
  private List<EventDraft> drafts(
      String tenantId, @Nullable XeroInvoice old, XeroInvoice incoming) {
    if (events == ChangeEvents.NONE) {
      return List.of();
    }
    Organisations.Organisation org = organisations.get(tenantId);
    LocalDate today = org.today(clock);
    return events.derive(
        ChangeEvents.Subject.INVOICE,
        tenantId,
        old == null ? null : InvoiceJson.detail(old, org, today),
        InvoiceJson.detail(incoming, org, today));
  }

  private TransactWriteItem conditionalPut(
      String tenantId, XeroInvoice incoming, @Nullable Map<String, AttributeValue> oldItem) {
    Map<String, AttributeValue> item =
        ItemCodec.invoiceItem(
            tenantId, incoming, clock.instant(), organisations.get(tenantId).timezone());
    return TransactWriteItem.builder()
        .put(
            p -> {
              p.tableName(table).item(item);
              if (oldItem == null) {
                p.conditionExpression("attribute_not_exists(pk)");
              } else {
                p.conditionExpression("updatedMs = :seen")
                    .expressionAttributeValues(Map.of(":seen", oldItem.get("updatedMs")));
              }
            })
        .build();
  }

  private static boolean lostRace(TransactionCanceledException e) {
    for (CancellationReason reason : e.cancellationReasons()) {
      if ("ConditionalCheckFailed".equals(reason.code())
          || "TransactionConflict".equals(reason.code())) {
        return true;
      }
    }
    return false;
  }

  public Optional<XeroInvoice> get(String tenantId, String invoiceId) {
    return Optional.ofNullable(getItem(Keys.invoicePk(tenantId, invoiceId), Keys.INVOICE_SK))
        .map(ItemCodec::invoice);
  }

  /** An unpaid invoice as the API serves it, with its due date and organisation. */
  public record Unpaid(
      LocalDate dueDate, Organisations.Organisation organisation, ObjectNode view) {}

  /** The invoice, if it is stored, unpaid (AUTHORISED with a balance) and has a due date. */
  public Optional<Unpaid> unpaid(String tenantId, String invoiceId) {
    Optional<XeroInvoice> stored = get(tenantId, invoiceId);
    if (stored.isEmpty()
        || stored.get().dueDate() == null
        || InvoiceBucket.of(stored.get()) != InvoiceBucket.UNPAID) {
      return Optional.empty();
    }
    Organisations.Organisation org = organisations.get(tenantId);
    return Optional.of(
        new Unpaid(
            stored.get().dueDate(), org, InvoiceJson.detail(stored.get(), org, org.today(clock))));
  }

  /** The stored invoice's UpdatedDateUTC alone (a projection: one small read), if it is stored. */
  public Optional<Instant> updatedAt(String tenantId, String invoiceId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .consistentRead(true)
                    .key(Keys.key(Keys.invoicePk(tenantId, invoiceId), Keys.INVOICE_SK))
                    .projectionExpression("updatedMs"));
    return response.hasItem() && response.item().containsKey("updatedMs")
        ? Optional.of(
            Instant.ofEpochMilli(Long.parseLong(ItemCodec.attr(response.item(), "updatedMs").n())))
        : Optional.empty();
  }

  /** Each stored invoice's UpdatedDateUTC, read consistently in batches; unknown ids are absent. */
  public Map<String, Instant> updatedAtAll(String tenantId, Collection<String> invoiceIds) {
    Map<String, Instant> dates = new HashMap<>();
    InvoiceBatchGet.items(dynamo, table, tenantId, invoiceIds, true, "invoiceId, updatedMs")
        .forEach(
            (id, item) -> {
              if (item.containsKey("updatedMs")) {
                dates.put(
                    id,
                    Instant.ofEpochMilli(Long.parseLong(ItemCodec.attr(item, "updatedMs").n())));
              }
            });
    return dates;
  }

  public List<ContactTotals> totals(String tenantId, String contactId) {
    QueryResponse response =
        dynamo.query(
            r ->
                r.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :totals)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", ItemCodec.s(Keys.contactPk(tenantId, contactId)),
                            ":totals", ItemCodec.s(Keys.TOTALS_SK_PREFIX))));
    List<ContactTotals> totals = new ArrayList<>();
    for (var item : response.items()) {
      String[] parts = ItemCodec.requiredStr(item, "sk").split("#", 3);
      totals.add(
          new ContactTotals(
              parts[1],
              parts[2],
              ItemCodec.dec(item, "paidCount").longValue(),
              ItemCodec.dec(item, "paidAmount"),
              ItemCodec.dec(item, "unpaidCount").longValue(),
              ItemCodec.dec(item, "unpaidAmount"),
              ItemCodec.dec(item, "creditCount").longValue(),
              ItemCodec.dec(item, "creditAmount"),
              ItemCodec.dec(item, "creditUsedCount").longValue(),
              ItemCodec.dec(item, "creditUsedAmount")));
    }
    return totals;
  }

  private @Nullable Map<String, AttributeValue> getItem(String pk, String sk) {
    var response =
        dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Keys.key(pk, sk)));
    return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
  }

  private record TotalsKey(String tenantId, String pk, String sk) {}

  private record TotalsDelta(
      long paidCount, BigDecimal paidAmount, long unpaidCount, BigDecimal unpaidAmount) {
    static final TotalsDelta ZERO = new TotalsDelta(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

    TotalsDelta plus(TotalsDelta o) {
      return new TotalsDelta(
          paidCount + o.paidCount,
          paidAmount.add(o.paidAmount),
          unpaidCount + o.unpaidCount,
          unpaidAmount.add(o.unpaidAmount));
    }

    TotalsDelta negate() {
      return new TotalsDelta(-paidCount, paidAmount.negate(), -unpaidCount, unpaidAmount.negate());
    }

    boolean isZero() {
      return paidCount == 0
          && unpaidCount == 0
          && paidAmount.signum() == 0
          && unpaidAmount.signum() == 0;
    }

    TransactWriteItem asUpdate(String table, TotalsKey key) {
      return TransactWriteItem.builder()
          .update(
              u ->
                  u.tableName(table)
                      .key(Keys.key(key.pk(), key.sk()))
                      .updateExpression(
                          TenantItems.set(
                              "ADD paidCount :pc, paidAmount :pa, unpaidCount :uc, unpaidAmount"
                                  + " :ua"))
                      .expressionAttributeValues(
                          TenantItems.values(
                              key.tenantId(),
                              key.pk(),
                              Map.of(
                                  ":pc", AttributeValue.fromN(Long.toString(paidCount)),
                                  ":pa", ItemCodec.n(paidAmount),
                                  ":uc", AttributeValue.fromN(Long.toString(unpaidCount)),
                                  ":ua", ItemCodec.n(unpaidAmount)))))
          .build();
    }
  }

  /** Paid counts the invoice's total; unpaid counts what is still due on it. */
  private static TotalsDelta contribution(XeroInvoice inv) {
    return switch (InvoiceBucket.of(inv)) {
      case PAID -> new TotalsDelta(1, inv.total(), 0, BigDecimal.ZERO);
      case UNPAID -> new TotalsDelta(0, BigDecimal.ZERO, 1, inv.amountDue());
      default -> TotalsDelta.ZERO;
    };
  }

  private static Map<TotalsKey, TotalsDelta> totalsDeltas(
      String tenantId, @Nullable XeroInvoice old, XeroInvoice incoming) {
    Map<TotalsKey, TotalsDelta> deltas = new LinkedHashMap<>();
    if (old != null) {
      deltas.merge(totalsKey(tenantId, old), contribution(old).negate(), TotalsDelta::plus);
    }
    deltas.merge(totalsKey(tenantId, incoming), contribution(incoming), TotalsDelta::plus);
    Map<TotalsKey, TotalsDelta> nonZero = new HashMap<>();
    deltas.forEach(
        (k, v) -> {
          if (!v.isZero()) {
            nonZero.put(k, v);
          }
        });
    return nonZero;
  }

  private static TotalsKey totalsKey(String tenantId, XeroInvoice inv) {
    String contact = inv.contactId() == null ? "NONE" : inv.contactId();
    String type = inv.type() == null ? "UNKNOWN" : inv.type();
    String currency = inv.currencyCode() == null ? "XXX" : inv.currencyCode();
    return new TotalsKey(
        tenantId, Keys.contactPk(tenantId, contact), Keys.totalsSk(type, currency));
  }

  private static Instant updated(XeroInvoice invoice) {
    return ItemCodec.required(invoice.updatedDateUtc(), "UpdatedDateUTC");
  }
}
