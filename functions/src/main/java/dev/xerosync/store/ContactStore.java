package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.xero.XeroContact;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Contacts, written only when the incoming version is newer than the stored one. With {@link
 * ChangeEvents}, a change's business events (archived, merged) are logged in its transaction.
 */
public final class ContactStore {
  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final ChangeEvents events;
  private final EventLog eventLog;

  public ContactStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, Clock.systemUTC(), ChangeEvents.NONE);
  }

  public ContactStore(DynamoDbClient dynamo, String table, Clock clock, ChangeEvents events) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
    this.events = events;
    this.eventLog = new EventLog(dynamo, table, clock);
  }

  /** The same store logging no events: for the initial sync's history. */
  public ContactStore historic() {
    return events == ChangeEvents.NONE
        ? this
        : new ContactStore(dynamo, table, clock, ChangeEvents.NONE);
  }

  public Optional<XeroContact> get(String tenantId, String contactId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.contactPk(tenantId, contactId), Keys.CONTACT_SK)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(contact(contactId, response.item()));
  }

  private static XeroContact contact(String contactId, Map<String, AttributeValue> item) {
    long updatedMs = Long.parseLong(ItemCodec.attr(item, "updatedMs").n());
    return new XeroContact(
        contactId,
        text(item, "name"),
        text(item, "status"),
        ItemCodec.attr(item, "isCustomer").bool(),
        ItemCodec.attr(item, "isSupplier").bool(),
        text(item, "email"),
        updatedMs == 0 ? null : java.time.Instant.ofEpochMilli(updatedMs),
        text(item, "mergedTo"));
  }

  private static @Nullable String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  /**
   * Contacts per transaction: the tenant fence and 99 puts make DynamoDB's 100 actions; a contact
   * item is a few hundred bytes, far inside the 4 MB.
   */
  static final int CONTACTS_PER_TRANSACTION = 99;

  /**
   * Stores a page of contacts in as few round trips as DynamoDB allows: one transaction per 99,
   * each put still written only over an older version. A round trip per contact made a large
   * organisation's contacts the slowest part of its initial sync (issue 28). A chunk that a stored
   * newer version (or a concurrent write) cancels is written one contact at a time, so only that
   * contact is left as it is. With events, each contact goes through {@link #upsert}.
   */
  public void upsertAll(String tenantId, List<XeroContact> contacts) {
    if (events != ChangeEvents.NONE) {
      contacts.forEach(c -> upsert(tenantId, c));
      return;
    }
    // A transaction may name an item once: a page naming a contact twice keeps its newest.
    Map<String, XeroContact> newest = new LinkedHashMap<>();
    for (XeroContact c : contacts) {
      newest.merge(
          ItemCodec.required(c.contactId(), "ContactID"),
          c,
          (a, b) -> updatedMs(b) >= updatedMs(a) ? b : a);
    }
    List<XeroContact> unique = new ArrayList<>(newest.values());
    for (int from = 0; from < unique.size(); from += CONTACTS_PER_TRANSACTION) {
      List<XeroContact> chunk =
          unique.subList(from, Math.min(unique.size(), from + CONTACTS_PER_TRANSACTION));
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TenantFence.check(table, tenantId));
      for (XeroContact c : chunk) {
        writes.add(
            TransactWriteItem.builder()
                .put(newerPut(tenantId, item(tenantId, c), updatedMs(c)))
                .build());
      }
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, chunk.size() + " contacts")) {
          return;
        }
        chunk.forEach(c -> upsert(tenantId, c));
      }
    }
  }

  private static long updatedMs(XeroContact c) {
    return c.updatedDateUtc() == null ? 0 : c.updatedDateUtc().toEpochMilli();
  }

  private static Map<String, AttributeValue> item(String tenantId, XeroContact c) {
    String contactId = ItemCodec.required(c.contactId(), "ContactID");
    Map<String, AttributeValue> item =
        Keys.item(Keys.contactPk(tenantId, contactId), Keys.CONTACT_SK);
    item.put("tenantId", AttributeValue.fromS(tenantId));
    item.put("contactId", AttributeValue.fromS(contactId));
    if (c.name() != null) {
      item.put("name", AttributeValue.fromS(c.name()));
    }
    if (c.email() != null && !c.email().isBlank()) {
      item.put("email", AttributeValue.fromS(c.email()));
    }
    item.put("status", AttributeValue.fromS(c.status() == null ? "ACTIVE" : c.status()));
    item.put("isCustomer", AttributeValue.fromBool(c.isCustomer()));
    item.put("isSupplier", AttributeValue.fromBool(c.isSupplier()));
    ItemCodec.put(item, "mergedTo", c.mergedToContactId());
    item.put("updatedMs", AttributeValue.fromN(Long.toString(updatedMs(c))));
    return item;
  }

  /** The put of {@code item} unless a version at least as new is stored. */
  private Put newerPut(String tenantId, Map<String, AttributeValue> item, long updatedMs) {
    return Put.builder()
        .tableName(table)
        .item(TenantItems.stamp(tenantId, item))
        .conditionExpression("attribute_not_exists(updatedMs) OR updatedMs < :u")
        .expressionAttributeValues(Map.of(":u", AttributeValue.fromN(Long.toString(updatedMs))))
        .build();
  }

  public UpsertOutcome upsert(String tenantId, XeroContact c) {
    String contactId = ItemCodec.required(c.contactId(), "ContactID");
    Map<String, AttributeValue> item = item(tenantId, c);
    long updatedMs = updatedMs(c);
    if (events == ChangeEvents.NONE) {
      return put(tenantId, item, updatedMs);
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var old =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .consistentRead(true)
                      .key(Keys.key(Keys.contactPk(tenantId, contactId), Keys.CONTACT_SK)));
      XeroContact before =
          old.hasItem() && !old.item().isEmpty() ? contact(contactId, old.item()) : null;
      if (before != null
          && Long.parseLong(ItemCodec.attr(old.item(), "updatedMs").n()) >= updatedMs) {
        return UpsertOutcome.UNCHANGED;
      }
      List<EventDraft> drafts =
          events.derive(
              ChangeEvents.Subject.CONTACT,
              tenantId,
              before == null ? null : json(before),
              json(c));
      List<TransactWriteItem> logged = eventLog.appendWrites(tenantId, drafts);
      if (logged.isEmpty()) {
        return put(tenantId, item, updatedMs);
      }
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TenantFence.check(table, tenantId));
      writes.add(TransactWriteItem.builder().put(newerPut(tenantId, item, updatedMs)).build());
      writes.addAll(logged);
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        events.logged(tenantId);
        return UpsertOutcome.UPDATED;
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, "contact " + contactId)) {
          return UpsertOutcome.STALE;
        }
        // A newer version or another event landed meanwhile: read again.
      }
    }
    throw new IllegalStateException(
        "contact " + contactId + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  private UpsertOutcome put(String tenantId, Map<String, AttributeValue> item, long updatedMs) {
    try {
      boolean written =
          TenantFence.put(
              dynamo,
              table,
              tenantId,
              r ->
                  r.tableName(table)
                      .item(TenantItems.stamp(tenantId, item))
                      .conditionExpression("attribute_not_exists(updatedMs) OR updatedMs < :u")
                      .expressionAttributeValues(
                          Map.of(":u", AttributeValue.fromN(Long.toString(updatedMs)))));
      return written ? UpsertOutcome.UPDATED : UpsertOutcome.UNCHANGED;
    } catch (ConditionalCheckFailedException e) {
      return UpsertOutcome.UNCHANGED;
    }
  }

  /** The contact as an event carries it. */
  static ObjectNode json(XeroContact c) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("contactId", c.contactId());
    n.put("name", c.name());
    n.put("status", c.status() == null ? "ACTIVE" : c.status());
    n.put("isCustomer", c.isCustomer());
    n.put("isSupplier", c.isSupplier());
    n.put("mergedToContactId", c.mergedToContactId());
    n.put("updatedUtc", c.updatedDateUtc() == null ? null : c.updatedDateUtc().toString());
    return n;
  }
}
