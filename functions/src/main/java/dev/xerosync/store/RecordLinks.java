package dev.xerosync.store;

import dev.xerosync.common.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A CRM record (a contact, an account or a deal) and what our API consumers attach to it: links to
 * Xero contacts ({@code sk = LINK#C#{contactId}}) and pinned invoices ({@code sk =
 * PIN#{invoiceId}}), all in the record's own partition {@code T#{tenant}#R#{type}#{id}}, so one
 * Query reads a record's links.
 */
public final class RecordLinks {
  /**
   * The most contacts one record may link: a record view reads one partition per linked contact.
   */
  public static final int MAX_LINKS = 10;

  public record Record(String type, String id) {}

  /** {@code created} is false when the record was linked to the contact already. */
  public record Link(
      String contactId, @Nullable String contactName, Instant linkedAt, boolean created) {}

  /** {@code created} is false when the invoice was pinned already. */
  public record Pin(String invoiceId, Instant pinnedAt, boolean created) {}

  public record PinPage(List<Pin> pins, @Nullable Map<String, AttributeValue> lastKey) {}

  private final DynamoDbClient dynamo;
  private final String table;

  /** How many of a record's pins {@link #shows} looks through. */
  private static final int MAX_PINS_CHECKED = 100;

  /** Attempts at a link that keeps meeting concurrent writes, or a pin removed as it is read. */
  private static final int MAX_ATTEMPTS = 5;

  public RecordLinks(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The record already links {@link #MAX_LINKS} contacts. */
  public static final class TooManyLinks extends Exception {
    public TooManyLinks() {
      super("a record links at most " + MAX_LINKS + " Xero contacts");
    }
  }

  /**
   * Links a record to a contact; linking twice keeps the first link's time. The limit holds under
   * concurrency: a new link and its counter's conditional increment commit together or not at all.
   * Like every write of a tenant's data it is fenced ({@link TenantFence}): a disconnected or
   * purged tenant gets 409 and nothing is written, so a purge is never followed by a link.
   */
  public Link link(
      String tenantId, Record record, String contactId, @Nullable String contactName, Instant at)
      throws TooManyLinks, Problem {
    String pk = Keys.recordPk(tenantId, record.type(), record.id());
    Map<String, AttributeValue> values =
        TenantItems.values(
            tenantId, pk, Map.of(":at", ItemCodec.s(at.toString()), ":c", ItemCodec.s(contactId)));
    String update =
        TenantItems.set(
            "SET linkedAt = if_not_exists(linkedAt, :at), contactId = :c"
                + (contactName == null ? "" : ", contactName = :n"));
    if (contactName != null) {
      values.put(":n", ItemCodec.s(contactName));
    }
    var linkKey = key(tenantId, record, Keys.linkSk(contactId));
    var writes =
        List.of(
            TenantFence.check(table, tenantId),
            TransactWriteItem.builder()
                .update(
                    u ->
                        u.tableName(table)
                            .key(linkKey)
                            .updateExpression(update)
                            .conditionExpression("attribute_not_exists(linkedAt)")
                            .expressionAttributeValues(values))
                .build(),
            countMove(
                tenantId,
                record,
                TenantItems.set("SET linkCount = if_not_exists(linkCount, :zero) + :one"),
                "attribute_not_exists(linkCount) OR linkCount < :max",
                TenantItems.values(
                    tenantId,
                    pk,
                    Map.of(":zero", number(0), ":one", number(1), ":max", number(MAX_LINKS)))));
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return new Link(contactId, contactName, at, true);
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, "link " + contactId)) {
          throw TenantFence.disconnected();
        }
        // A concurrent write of one of the items (the connection's, say): try again.
        boolean conflict =
            e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
        if (!conflict) {
          break;
        }
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
    // Either the link exists already (a relink), or the counter is at the limit.
    var existing = dynamo.getItem(r -> r.tableName(table).key(linkKey).consistentRead(true)).item();
    if (existing == null || existing.isEmpty()) {
      throw new TooManyLinks();
    }
    try {
      // The name may have changed; the update never makes a link the counter did not count.
      fencedUpdate(tenantId, linkKey, update, "attribute_exists(linkedAt)", values);
    } catch (ConditionalCheckFailedException unlinked) {
      // Unlinked since the read: this relink came first, and the unlink stands.
    }
    return new Link(
        contactId, contactName, Instant.parse(ItemCodec.requiredStr(existing, "linkedAt")), false);
  }

  /** True if there was a link to remove; its counter moves down with it. */
  public boolean unlink(String tenantId, Record record, String contactId) {
    var linkKey = key(tenantId, record, Keys.linkSk(contactId));
    try {
      dynamo.transactWriteItems(
          r ->
              r.transactItems(
                  TransactWriteItem.builder()
                      .delete(
                          d ->
                              d.tableName(table)
                                  .key(linkKey)
                                  .conditionExpression("attribute_exists(linkedAt)"))
                      .build(),
                  countMove(
                      tenantId,
                      record,
                      "SET linkCount = linkCount - :one",
                      "linkCount > :zero",
                      Map.of(":zero", number(0), ":one", number(1)))));
      return true;
    } catch (TransactionCanceledException e) {
      // No such link, or a record linked before the counter existed: a plain delete tells which.
      return delete(tenantId, record, Keys.linkSk(contactId));
    }
  }

  /** The record's link counter moved, in the same transaction as the link it counts. */
  private TransactWriteItem countMove(
      String tenantId,
      Record record,
      String update,
      String condition,
      Map<String, AttributeValue> values) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(key(tenantId, record, Keys.LINK_COUNT_SK))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeValues(values))
        .build();
  }

  private static AttributeValue number(int n) {
    return AttributeValue.fromN(Integer.toString(n));
  }

  /**
   * Whether an invoice shows on a record: its contact is linked to the record, or it is pinned to
   * it. A panel token reads only such invoices.
   */
  public boolean shows(
      String tenantId, Record record, @Nullable String contactId, @Nullable String invoiceId) {
    if (links(tenantId, record).stream().anyMatch(l -> l.contactId().equals(contactId))) {
      return true;
    }
    return pins(tenantId, record, MAX_PINS_CHECKED, null).pins().stream()
        .anyMatch(p -> p.invoiceId().equals(invoiceId));
  }

  public List<Link> links(String tenantId, Record record) {
    List<Link> links = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        q ->
            q.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :link)")
                .expressionAttributeValues(
                    Map.of(
                        ":pk", ItemCodec.s(Keys.recordPk(tenantId, record.type(), record.id())),
                        ":link", ItemCodec.s(Keys.LINK_SK_PREFIX))),
        item ->
            links.add(
                new Link(
                    ItemCodec.requiredStr(item, "contactId"),
                    ItemCodec.str(item, "contactName"),
                    Instant.parse(ItemCodec.str(item, "linkedAt")),
                    false)));
    return links;
  }

  /**
   * Pins an invoice to a record; pinning twice keeps the first pin's time. Fenced like {@link
   * #link}: 409 for a disconnected tenant.
   */
  public Pin pin(String tenantId, Record record, String invoiceId, Instant at) throws Problem {
    var pinKey = key(tenantId, record, Keys.pinSk(invoiceId));
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        fencedUpdate(
            tenantId,
            pinKey,
            TenantItems.set("SET pinnedAt = :at, invoiceId = :i"),
            "attribute_not_exists(pinnedAt)",
            TenantItems.values(
                tenantId,
                Keys.recordPk(tenantId, record.type(), record.id()),
                Map.of(":at", ItemCodec.s(at.toString()), ":i", ItemCodec.s(invoiceId))));
        return new Pin(invoiceId, at, true);
      } catch (ConditionalCheckFailedException pinned) {
        var existing =
            dynamo.getItem(r -> r.tableName(table).key(pinKey).consistentRead(true)).item();
        if (existing != null && !existing.isEmpty()) {
          return new Pin(
              invoiceId, Instant.parse(ItemCodec.requiredStr(existing, "pinnedAt")), false);
        }
        // Unpinned since: pin it again.
      }
    }
    throw new IllegalStateException(
        "the pin of " + invoiceId + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  public boolean unpin(String tenantId, Record record, String invoiceId) {
    return delete(tenantId, record, Keys.pinSk(invoiceId));
  }

  /**
   * A page of a record's pins, in invoice id order (the sort key); one item more is read to know
   * whether a next page exists.
   */
  public PinPage pins(
      String tenantId, Record record, int limit, @Nullable Map<String, AttributeValue> startKey) {
    QueryResponse r =
        dynamo.query(
            q ->
                q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :pin)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", ItemCodec.s(Keys.recordPk(tenantId, record.type(), record.id())),
                            ":pin", ItemCodec.s(Keys.PIN_SK_PREFIX)))
                    .exclusiveStartKey(startKey == null || startKey.isEmpty() ? null : startKey)
                    .limit(limit + 1));
    List<Map<String, AttributeValue>> items = r.items();
    Map<String, AttributeValue> lastKey = null;
    if (items.size() > limit) {
      items = items.subList(0, limit);
      Map<String, AttributeValue> last = items.get(limit - 1);
      lastKey = Keys.keyOf(last);
    }
    List<Pin> pins =
        items.stream()
            .map(
                item ->
                    new Pin(
                        ItemCodec.requiredStr(item, "invoiceId"),
                        Instant.parse(ItemCodec.str(item, "pinnedAt")),
                        false))
            .toList();
    return new PinPage(pins, lastKey);
  }

  private boolean delete(String tenantId, Record record, String sk) {
    var response =
        dynamo.deleteItem(
            r ->
                r.tableName(table)
                    .key(key(tenantId, record, sk))
                    .returnValues(ReturnValue.ALL_OLD));
    return response.hasAttributes() && !response.attributes().isEmpty();
  }

  /**
   * A conditional update of one of the record's items, fenced ({@link TenantFence}): 409 when the
   * tenant is disconnected; {@link ConditionalCheckFailedException} when the condition fails.
   */
  private void fencedUpdate(
      String tenantId,
      Map<String, AttributeValue> key,
      String update,
      String condition,
      Map<String, AttributeValue> values)
      throws Problem {
    if (!TenantFence.update(
        dynamo,
        table,
        tenantId,
        u ->
            u.tableName(table)
                .key(key)
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeValues(values))) {
      throw TenantFence.disconnected();
    }
  }

  private static Map<String, AttributeValue> key(String tenantId, Record record, String sk) {
    return Keys.key(Keys.recordPk(tenantId, record.type(), record.id()), sk);
  }
}
