package dev.xerosync.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A tenant's {@code RATE#tenant / CHANGES} item: how hot its changes run and what its last
 * If-Modified-Since fetch of changes covers. The rules that read it live in {@code
 * syncengine.ChangeFetchPlan}; one worker at a time touches a tenant (its FIFO message group), so a
 * plain put is enough. It expires a day after the last fetch: a tenant that went quiet starts cold.
 */
public final class ChangeFetches {
  /**
   * What is known of a tenant's change fetches; {@link #NONE} when nothing is.
   *
   * @param lastFetchAt when the last fetch of changes (either kind) started
   * @param heat a decaying count of the invoice ids fetched, as of {@code lastFetchAt}
   * @param sinceFetchStartedAt when the last complete If-Modified-Since fetch started (null: none)
   * @param sinceFetchCovers every invoice with UpdatedDateUTC at or after this was read by it
   */
  public record ChangeFetch(
      @Nullable Instant lastFetchAt,
      double heat,
      @Nullable Instant sinceFetchStartedAt,
      @Nullable Instant sinceFetchCovers) {
    public static final ChangeFetch NONE = new ChangeFetch(null, 0, null, null);
  }

  private final DynamoDbClient dynamo;
  private final String table;

  public ChangeFetches(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public ChangeFetch get(String tenantId) {
    var response = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(tenantId)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return ChangeFetch.NONE;
    }
    Map<String, AttributeValue> item = response.item();
    return new ChangeFetch(
        instant(item, "lastFetchMs"),
        item.containsKey("heat") ? Double.parseDouble(item.get("heat").n()) : 0,
        instant(item, "sinceFetchStartedMs"),
        instant(item, "sinceFetchCoversMs"));
  }

  public void put(String tenantId, ChangeFetch fetch) {
    Map<String, AttributeValue> item = new HashMap<>(key(tenantId));
    Instant lastFetchAt =
        Objects.requireNonNull(fetch.lastFetchAt(), "a fetch to record has started (lastFetchAt)");
    item.put("lastFetchMs", millis(lastFetchAt));
    item.put("heat", AttributeValue.fromN(Double.toString(fetch.heat())));
    if (fetch.sinceFetchStartedAt() != null && fetch.sinceFetchCovers() != null) {
      item.put("sinceFetchStartedMs", millis(fetch.sinceFetchStartedAt()));
      item.put("sinceFetchCoversMs", millis(fetch.sinceFetchCovers()));
    }
    item.put(
        "expiresAt", AttributeValue.fromN(Long.toString(lastFetchAt.getEpochSecond() + 86400)));
    // Fenced: a sync in flight at a purge must not bring the record back.
    TenantFence.put(
        dynamo, table, tenantId, r -> r.tableName(table).item(TenantItems.stamp(tenantId, item)));
  }

  private static Map<String, AttributeValue> key(String tenantId) {
    return Keys.key(Keys.rateBudgetPk(tenantId), Keys.CHANGE_FETCH_SK);
  }

  private static AttributeValue millis(Instant at) {
    return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
  }

  private static @Nullable Instant instant(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
  }
}
