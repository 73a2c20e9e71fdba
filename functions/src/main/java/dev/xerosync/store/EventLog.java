package dev.xerosync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The tenant's business events for 30 days, in one partition {@code T#tenant#EVENTS}: a head
 * ({@code HEAD}: the last sequence given and the last one published), one item per event ({@code
 * E#sequence}, so a Query reads them in order) and one per event id ({@code ID#id}, so an event is
 * logged once however often its change is seen again). Events are appended in the transaction of
 * the change they come from, conditioned on the head's sequence, so sequence order is commit order
 * and a crash after the commit loses nothing: whatever lies between the published mark and the head
 * is published by the tenant's next run ({@link #unpublished}).
 */
public final class EventLog {
  /** How long an event can be replayed. */
  public static final Duration RETENTION = Duration.ofDays(30);

  static final String HEAD_SK = "HEAD";
  static final String EVENT_SK_PREFIX = "E#";
  static final String ID_SK_PREFIX = "ID#";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public EventLog(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  static String pk(String tenantId) {
    return Keys.tenantPk(tenantId) + "#EVENTS";
  }

  static String eventSk(long sequence) {
    return EVENT_SK_PREFIX + String.format("%019d", sequence);
  }

  /** The head: the last sequence given to an event and the last one handed to delivery. */
  public record Head(long last, long published, boolean exists) {}

  public Head head(String tenantId) {
    var r =
        dynamo.getItem(
            g -> g.tableName(table).consistentRead(true).key(Keys.key(pk(tenantId), HEAD_SK)));
    if (!r.hasItem() || r.item().isEmpty()) {
      return new Head(0, 0, false);
    }
    return new Head(number(r.item(), "last"), number(r.item(), "published"), true);
  }

  /**
   * The writes that append the drafts not logged before, to go into the change's own transaction:
   * empty when every draft is already logged. The transaction fails as a lost race if another
   * writer appended meanwhile; the caller reads again and calls this again.
   */
  List<TransactWriteItem> appendWrites(String tenantId, List<EventDraft> drafts) {
    Map<String, EventDraft> fresh = new LinkedHashMap<>();
    for (EventDraft d : drafts) {
      if (!fresh.containsKey(d.id()) && !logged(tenantId, d.id())) {
        fresh.put(d.id(), d);
      }
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    Head head = head(tenantId);
    Instant now = clock.instant();
    String expires = Long.toString(now.plus(RETENTION).getEpochSecond());
    List<TransactWriteItem> writes = new ArrayList<>();
    long sequence = head.last();
    for (EventDraft d : fresh.values()) {
      sequence++;
      Map<String, AttributeValue> item = Keys.item(pk(tenantId), eventSk(sequence));
      item.put("id", ItemCodec.s(d.id()));
      item.put("type", ItemCodec.s(d.type()));
      item.put("subjectId", ItemCodec.s(d.subjectId()));
      item.put("sequence", AttributeValue.fromN(Long.toString(sequence)));
      item.put("occurredAt", ItemCodec.s(d.occurredAt().toString()));
      item.put("detectedAt", ItemCodec.s(now.toString()));
      item.put("data", ItemCodec.s(d.data().toString()));
      if (d.previous() != null) {
        item.put("previous", ItemCodec.s(d.previous().toString()));
      }
      item.put("expiresAt", AttributeValue.fromN(expires));
      writes.add(newItem(tenantId, item));
      Map<String, AttributeValue> marker = Keys.item(pk(tenantId), ID_SK_PREFIX + d.id());
      marker.put("sequence", AttributeValue.fromN(Long.toString(sequence)));
      marker.put("expiresAt", AttributeValue.fromN(expires));
      writes.add(newItem(tenantId, marker));
    }
    long last = sequence;
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":last", AttributeValue.fromN(Long.toString(last)));
    String condition;
    if (head.exists()) {
      values.put(":seen", AttributeValue.fromN(Long.toString(head.last())));
      condition = "#last = :seen";
    } else {
      condition = "attribute_not_exists(pk)";
    }
    writes.add(
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(Keys.key(pk(tenantId), HEAD_SK))
                        .updateExpression(TenantItems.set("SET #last = :last"))
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#last", "last"))
                        .expressionAttributeValues(
                            TenantItems.values(tenantId, pk(tenantId), values)))
            .build());
    return writes;
  }

  /**
   * Appends events that come from no stored change (the clock's: overdue, due soon) in their own
   * transaction; true when any was new. Retries a lost race with another appender.
   */
  public boolean append(String tenantId, List<EventDraft> drafts) {
    for (int attempt = 0; attempt < 8; attempt++) {
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(TenantFence.check(table, tenantId));
      List<TransactWriteItem> appended = appendWrites(tenantId, drafts);
      if (appended.isEmpty()) {
        return false;
      }
      writes.addAll(appended);
      try {
        dynamo.transactWriteItems(r -> r.transactItems(writes));
        return true;
      } catch (TransactionCanceledException e) {
        if (TenantFence.tripped(e, tenantId, drafts.size() + " events")) {
          return false;
        }
        if (e.cancellationReasons().stream()
            .noneMatch(
                r ->
                    "ConditionalCheckFailed".equals(r.code())
                        || "TransactionConflict".equals(r.code()))) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("the event log of " + tenantId + " kept moving");
  }

  /** Whether the event is logged (within its 30 days). */
  public boolean logged(String tenantId, String eventId) {
    var r =
        dynamo.getItem(
            g ->
                g.tableName(table)
                    .consistentRead(true)
                    .key(Keys.key(pk(tenantId), ID_SK_PREFIX + eventId))
                    .projectionExpression("pk"));
    return r.hasItem() && !r.item().isEmpty();
  }

  /** Events after the published mark, up to the head, in order; at most {@code limit}. */
  public List<LoggedEvent> unpublished(String tenantId, Head head, int limit) {
    if (head.last() <= head.published()) {
      return List.of();
    }
    return page(tenantId, head.published(), limit, null).events();
  }

  /** Moves the published mark forward to {@code through}; never back. */
  public void published(String tenantId, long through) {
    try {
      dynamo.updateItem(
          u ->
              u.tableName(table)
                  .key(Keys.key(pk(tenantId), HEAD_SK))
                  .updateExpression("SET published = :p")
                  .conditionExpression(
                      "attribute_exists(pk) AND (attribute_not_exists(published) OR published < :p)")
                  .expressionAttributeValues(
                      Map.of(":p", AttributeValue.fromN(Long.toString(through)))));
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      // Another run published as far already.
    }
  }

  /**
   * A page of replay: the events after {@code after}, of {@code types} (all when null), not older
   * than {@link #RETENTION}. {@code through} is the last sequence read, matching or not: the next
   * page starts after it.
   */
  public record Page(List<LoggedEvent> events, long through, boolean more) {}

  /** Items one replay request reads at most, matching or not: bounds a sparse filter's cost. */
  static final int MAX_READ = 1000;

  public Page page(String tenantId, long after, int limit, @Nullable Set<String> types) {
    Instant oldest = clock.instant().minus(RETENTION);
    List<LoggedEvent> events = new ArrayList<>();
    long through = after;
    int read = 0;
    Map<String, AttributeValue> start = null;
    while (true) {
      Map<String, AttributeValue> from = start;
      int want = Math.min(MAX_READ - read, Math.max(limit - events.size(), 1) + 10);
      var r =
          dynamo.query(
              q ->
                  q.tableName(table)
                      .consistentRead(true)
                      .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                      .expressionAttributeValues(
                          Map.of(
                              ":pk", ItemCodec.s(pk(tenantId)),
                              ":from", ItemCodec.s(eventSk(after + 1)),
                              ":to", ItemCodec.s(eventSk(Long.MAX_VALUE))))
                      .exclusiveStartKey(from)
                      .limit(want));
      for (var item : r.items()) {
        LoggedEvent e = event(tenantId, item);
        read++;
        if (events.size() == limit) {
          return new Page(events, through, true);
        }
        through = e.sequence();
        if ((types == null || types.contains(e.type())) && !e.detectedAt().isBefore(oldest)) {
          events.add(e);
        }
      }
      boolean end = !r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty();
      if (end) {
        return new Page(events, through, false);
      }
      if (read >= MAX_READ || events.size() == limit) {
        return new Page(events, through, true);
      }
      start = r.lastEvaluatedKey();
    }
  }

  /**
   * The opaque replay cursor after {@code sequence}: base64url JSON naming the tenant, so a cursor
   * cannot be used for another tenant's events.
   */
  public static String cursor(String tenantId, long sequence) {
    String json =
        Json.MAPPER
            .createObjectNode()
            .put("l", "events")
            .put("t", tenantId)
            .put("s", sequence)
            .toString();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The sequence a cursor of {@link #cursor} stands after; refuses one altered or not ours. */
  public static long after(String tenantId, String cursor) throws PageCursor.InvalidCursor {
    JsonNode root;
    try {
      root =
          Json.MAPPER.readTree(
              Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new PageCursor.InvalidCursor(PageCursor.INVALID);
    }
    if (root == null
        || !"events".equals(root.path("l").asText())
        || !root.path("s").canConvertToLong()
        || root.path("s").asLong() < 0) {
      throw new PageCursor.InvalidCursor(PageCursor.INVALID);
    }
    if (!tenantId.equals(root.path("t").asText())) {
      throw new PageCursor.InvalidCursor(PageCursor.OTHER_LISTING);
    }
    return root.path("s").asLong();
  }

  private static LoggedEvent event(String tenantId, Map<String, AttributeValue> item) {
    String previous = ItemCodec.str(item, "previous");
    return new LoggedEvent(
        ItemCodec.requiredStr(item, "id"),
        ItemCodec.requiredStr(item, "type"),
        tenantId,
        ItemCodec.requiredStr(item, "subjectId"),
        number(item, "sequence"),
        Instant.parse(ItemCodec.requiredStr(item, "occurredAt")),
        Instant.parse(ItemCodec.requiredStr(item, "detectedAt")),
        json(ItemCodec.requiredStr(item, "data")),
        previous == null ? null : json(previous));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored event is not JSON", e);
    }
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  private TransactWriteItem newItem(String tenantId, Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(table)
                    .item(TenantItems.stamp(tenantId, item))
                    .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }
}
