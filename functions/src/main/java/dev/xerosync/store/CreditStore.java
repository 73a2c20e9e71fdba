package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Money;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Credit notes, overpayments and prepayments, each with its allocations and every invoice it was
 * ever allocated to. That last list is what lets a deleted allocation be seen: Xero's credit no
 * longer names the invoice, but the invoice still shows the credit until it is read again.
 */
public final class CreditStore {
  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final ChangeEvents events;
  private final EventLog eventLog;

  public CreditStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, Clock.systemUTC(), ChangeEvents.NONE);
  }

  /** Logs each change's business events (allocated, unallocated, refunded) in its transaction. */
  public CreditStore(DynamoDbClient dynamo, String table, Clock clock, ChangeEvents events) {
    this.dynamo = dynamo;
    this.table = table;
    this.events = events;
    this.eventLog = new EventLog(dynamo, table, clock);
  }

  /**
   * Stores the credit unless a newer version is stored, and returns every invoice the credit was
   * ever allocated to (this version's included): the invoices to read again. Repeating it returns
   * the same list, so a retry after a crash still re-reads them.
   */
  public Set<String> upsert(String tenantId, XeroCredit incoming) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> old =
          getItem(Keys.creditPk(tenantId, ItemCodec.required(incoming.creditId(), "credit id")));
      Set<String> invoiceIds = new LinkedHashSet<>();
      long oldUpdated = -1;
      if (old != null) {
        old.getOrDefault("invoiceIds", AttributeValue.fromL(List.of())).l().stream()
            .map(AttributeValue::s)
            .forEach(invoiceIds::add);
        oldUpdated = Long.parseLong(ItemCodec.attr(old, "updatedMs").n());
      }
      int known = invoiceIds.size();
      invoiceIds.addAll(incoming.invoiceIds());
      long incomingUpdated =
          incoming.updatedDateUtc() == null ? 0 : incoming.updatedDateUtc().toEpochMilli();
      boolean newer = incomingUpdated > oldUpdated;
      if (!newer && invoiceIds.size() == known) {
        return invoiceIds;
      }
      Map<String, AttributeValue> item = newer ? item(tenantId, incoming) : new HashMap<>(old);
      item.put(
          "invoiceIds",
          AttributeValue.fromL(invoiceIds.stream().map(AttributeValue::fromS).toList()));
      long rev = old == null ? 0 : Long.parseLong(ItemCodec.attr(old, "rev").n());
      item.put("rev", AttributeValue.fromN(Long.toString(rev + 1)));
      List<TransactWriteItem> logged =
          newer ? eventLog.appendWrites(tenantId, drafts(tenantId, old, incoming)) : List.of();
      List<TransactWriteItem> totals =
          newer
              ? CreditNoteIndex.totalsUpdates(
                  table, tenantId, old, old == null ? null : credit(old), incoming)
              : List.of();
      if (!logged.isEmpty() || !totals.isEmpty()) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TenantFence.check(table, tenantId));
        writes.add(
            TransactWriteItem.builder()
                .put(
                    p -> {
                      p.tableName(table).item(TenantItems.stamp(tenantId, item));
                      if (old == null) {
                        p.conditionExpression("attribute_not_exists(pk)");
                      } else {
                        p.conditionExpression("rev = :rev")
                            .expressionAttributeValues(Map.of(":rev", old.get("rev")));
                      }
                    })
                .build());
        writes.addAll(totals);
        writes.addAll(logged);
        try {
          dynamo.transactWriteItems(r -> r.transactItems(writes));
          if (!logged.isEmpty()) {
            events.logged(tenantId);
          }
          events.committed(tenantId, incoming.contactId());
          return invoiceIds;
        } catch (TransactionCanceledException e) {
          if (TenantFence.tripped(e, tenantId, "credit " + incoming.creditId())) {
            return invoiceIds;
          }
          continue; // Another writer stored a version or an event since we read: again.
        }
      }
      try {
        TenantFence.put(
            dynamo,
            table,
            tenantId,
            p -> {
              p.tableName(table).item(TenantItems.stamp(tenantId, item));
              if (old == null) {
                p.conditionExpression("attribute_not_exists(pk)");
              } else {
                p.conditionExpression("rev = :rev")
                    .expressionAttributeValues(Map.of(":rev", old.get("rev")));
              }
            });
        events.committed(tenantId, incoming.contactId());
        return invoiceIds;
      } catch (ConditionalCheckFailedException e) {
        // Another writer stored a version since we read: read again and merge again.
      }
    }
    throw new IllegalStateException(
        "credit " + incoming.creditId() + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * Remembers that a credit is allocated to an invoice, as the invoice showed it. A credit first
   * seen through an invoice (in the initial sync, or before its own webhook is processed) is then
   * known well enough that deleting the allocation later re-reads the invoice. Writes only when the
   * pair is new; a stub written here has no UpdatedDateUTC, so any read of the credit replaces it.
   */
  public void rememberAllocation(
      String tenantId, XeroAllocation.Kind kind, String creditId, String invoiceId) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, AttributeValue> old = getItem(Keys.creditPk(tenantId, creditId));
      List<AttributeValue> ids =
          old == null
              ? List.of()
              : old.getOrDefault("invoiceIds", AttributeValue.fromL(List.of())).l();
      if (ids.stream().anyMatch(v -> invoiceId.equals(v.s()))) {
        return;
      }
      Map<String, AttributeValue> item;
      if (old == null) {
        item = Keys.item(Keys.creditPk(tenantId, creditId), Keys.CREDIT_SK);
        item.put("tenantId", ItemCodec.s(tenantId));
        item.put("creditId", ItemCodec.s(creditId));
        item.put("kind", ItemCodec.s(kind.name()));
        item.put("updatedMs", AttributeValue.fromN("0"));
        item.put("allocations", AttributeValue.fromL(List.of()));
      } else {
        item = new HashMap<>(old);
      }
      List<AttributeValue> grown = new ArrayList<>(ids);
      grown.add(AttributeValue.fromS(invoiceId));
      item.put("invoiceIds", AttributeValue.fromL(grown));
      long rev = old == null ? 0 : Long.parseLong(ItemCodec.attr(old, "rev").n());
      item.put("rev", AttributeValue.fromN(Long.toString(rev + 1)));
      try {
        TenantFence.put(
            dynamo,
            table,
            tenantId,
            p -> {
              p.tableName(table).item(TenantItems.stamp(tenantId, item));
              if (old == null) {
                p.conditionExpression("attribute_not_exists(pk)");
              } else {
                p.conditionExpression("rev = :rev")
                    .expressionAttributeValues(Map.of(":rev", old.get("rev")));
              }
            });
        return;
      } catch (ConditionalCheckFailedException e) {
        // Changed since we read: read again.
      }
    }
    throw new IllegalStateException(
        "credit " + creditId + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  public Optional<XeroCredit> get(String tenantId, String creditId) {
    return Optional.ofNullable(getItem(Keys.creditPk(tenantId, creditId))).map(CreditStore::credit);
  }

  /** Where the last sweep of this kind of credit got to; null before the first. */
  public @Nullable Instant watermark(String tenantId, XeroAllocation.Kind kind) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .consistentRead(true)
                    .key(Keys.key(Keys.creditWatermarkPk(tenantId), kind.name())));
    if (!response.hasItem() || response.item().isEmpty()) {
      return null;
    }
    return Instant.parse(ItemCodec.attr(response.item(), "since").s());
  }

  public void saveWatermark(String tenantId, XeroAllocation.Kind kind, Instant since) {
    TenantFence.put(
        dynamo,
        table,
        tenantId,
        r ->
            r.tableName(table)
                .item(
                    TenantItems.stamp(
                        tenantId,
                        Keys.item(
                            Keys.creditWatermarkPk(tenantId),
                            kind.name(),
                            Map.of(
                                "tenantId",
                                ItemCodec.s(tenantId),
                                "since",
                                ItemCodec.s(since.toString()))))));
  }

  /** The change's business events; a credit known only as a stub has no before. */
  private List<EventDraft> drafts(
      String tenantId, @Nullable Map<String, AttributeValue> old, XeroCredit incoming) {
    if (events == ChangeEvents.NONE) {
      return List.of();
    }
    ObjectNode before =
        old == null || Long.parseLong(ItemCodec.attr(old, "updatedMs").n()) == 0
            ? null
            : json(credit(old));
    return events.derive(ChangeEvents.Subject.CREDIT, tenantId, before, json(incoming));
  }

  /** The credit as an event carries it. */
  static ObjectNode json(XeroCredit c) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("creditId", c.creditId());
    n.put("kind", c.kind().name());
    n.put("number", c.number());
    n.put("type", c.type());
    n.put("status", c.status());
    n.put("contactId", c.contactId());
    n.put("date", Objects.toString(c.date(), null));
    n.put("currency", c.currencyCode());
    n.set("total", Money.json(c.total(), c.currencyCode()));
    n.set("remainingCredit", Money.json(c.remainingCredit(), c.currencyCode()));
    ArrayNode allocations = n.putArray("allocations");
    for (XeroCredit.Allocation a : c.allocations()) {
      allocations
          .addObject()
          .put("allocationId", a.allocationId())
          .put("invoiceId", a.invoiceId())
          .<ObjectNode>set("amount", Money.json(a.amount(), c.currencyCode()))
          .put("date", Objects.toString(a.date(), null));
    }
    n.put("updatedUtc", Objects.toString(c.updatedDateUtc(), null));
    return n;
  }

  private @Nullable Map<String, AttributeValue> getItem(String pk) {
    var response =
        dynamo.getItem(
            r -> r.tableName(table).consistentRead(true).key(Keys.key(pk, Keys.CREDIT_SK)));
    return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
  }

  private static Map<String, AttributeValue> item(String tenantId, XeroCredit c) {
    String creditId = ItemCodec.required(c.creditId(), "credit id");
    Map<String, AttributeValue> item = Keys.item(Keys.creditPk(tenantId, creditId), Keys.CREDIT_SK);
    item.put("tenantId", ItemCodec.s(tenantId));
    item.put("creditId", ItemCodec.s(creditId));
    item.put("kind", ItemCodec.s(c.kind().name()));
    ItemCodec.put(item, "number", c.number());
    ItemCodec.put(item, "reference", c.reference());
    ItemCodec.put(item, "type", c.type());
    ItemCodec.put(item, "status", c.status());
    ItemCodec.put(item, "contactId", c.contactId());
    ItemCodec.put(item, "contactName", c.contactName());
    ItemCodec.put(item, "date", c.date());
    ItemCodec.put(item, "currency", c.currencyCode());
    item.put("total", ItemCodec.n(c.total()));
    item.put("remainingCredit", ItemCodec.n(c.remainingCredit()));
    long updated = c.updatedDateUtc() == null ? 0 : c.updatedDateUtc().toEpochMilli();
    item.put("updatedMs", AttributeValue.fromN(Long.toString(updated)));
    List<AttributeValue> allocations = new ArrayList<>();
    for (XeroCredit.Allocation a : c.allocations()) {
      Map<String, AttributeValue> m = new HashMap<>();
      ItemCodec.put(m, "allocationId", a.allocationId());
      ItemCodec.put(m, "invoiceId", a.invoiceId());
      ItemCodec.put(m, "invoiceNumber", a.invoiceNumber());
      m.put("amount", ItemCodec.n(a.amount()));
      ItemCodec.put(m, "date", a.date());
      allocations.add(AttributeValue.fromM(m));
    }
    item.put("allocations", AttributeValue.fromL(allocations));
    CreditNoteIndex.putKeys(item, tenantId, c);
    return item;
  }

  /** A credit item as stored, or as a listing index returns it (every index projects ALL). */
  static XeroCredit credit(Map<String, AttributeValue> item) {
    List<XeroCredit.Allocation> allocations = new ArrayList<>();
    for (AttributeValue v : item.getOrDefault("allocations", AttributeValue.fromL(List.of())).l()) {
      Map<String, AttributeValue> m = v.m();
      allocations.add(
          new XeroCredit.Allocation(
              ItemCodec.str(m, "allocationId"),
              ItemCodec.str(m, "invoiceId"),
              ItemCodec.str(m, "invoiceNumber"),
              ItemCodec.dec(m, "amount"),
              date(m, "date")));
    }
    long updated = Long.parseLong(ItemCodec.attr(item, "updatedMs").n());
    return new XeroCredit(
        XeroAllocation.Kind.valueOf(ItemCodec.requiredStr(item, "kind")),
        ItemCodec.str(item, "creditId"),
        ItemCodec.str(item, "number"),
        ItemCodec.str(item, "reference"),
        ItemCodec.str(item, "type"),
        ItemCodec.str(item, "status"),
        ItemCodec.str(item, "contactId"),
        ItemCodec.str(item, "contactName"),
        date(item, "date"),
        ItemCodec.str(item, "currency"),
        ItemCodec.dec(item, "total"),
        ItemCodec.dec(item, "remainingCredit"),
        updated == 0 ? null : Instant.ofEpochMilli(updated),
        List.copyOf(allocations));
  }

  private static @Nullable LocalDate date(Map<String, AttributeValue> item, String name) {
    String v = ItemCodec.str(item, name);
    return v == null ? null : LocalDate.parse(v);
  }
}
