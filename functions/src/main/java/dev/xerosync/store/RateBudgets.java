package dev.xerosync.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The rate budget's items: per tenant {@code RATE#tenant / BUDGET} (recent call times, the day's
 * count, a block until Xero's Retry-After), and app-wide {@code RATE#APP / S#slice} counters. The
 * arithmetic lives in {@code syncengine.TenantRateBudget}; this class only reads and writes, with
 * the optimistic version check that keeps concurrent workers from losing calls.
 */
public final class RateBudgets {
  /** A tenant's budget as stored; {@code version} and {@code blockedUntil} are null when absent. */
  public record TenantBudget(
      boolean exists,
      @Nullable Long version,
      List<Long> calls,
      @Nullable String day,
      long dayCount,
      @Nullable Long blockedUntil,
      @Nullable String blockedBy) {}

  /** The app-wide count's granularity: a finer slice wastes less allowance but reads more items. */
  static final long APP_SLICE_MS = 5_000;

  private final DynamoDbClient dynamo;
  private final String table;

  public RateBudgets(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public TenantBudget read(String tenantId) {
    var response =
        dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(budgetKey(tenantId)));
    Map<String, AttributeValue> item = response.hasItem() ? response.item() : Map.of();
    List<Long> calls = new ArrayList<>();
    if (item.containsKey("calls")) {
      for (AttributeValue v : ItemCodec.attr(item, "calls").l()) {
        calls.add(Long.parseLong(v.n()));
      }
    }
    return new TenantBudget(
        !item.isEmpty(),
        item.containsKey("version") ? number(item, "version") : null,
        calls,
        item.containsKey("day") ? item.get("day").s() : null,
        number(item, "dayCount"),
        item.containsKey("blockedUntil") ? number(item, "blockedUntil") : null,
        item.containsKey("blockedBy") ? item.get("blockedBy").s() : null);
  }

  /**
   * Writes the tenant's calls if nobody else wrote since {@code old} was read; false if someone
   * did. A block set by a 429 is carried over.
   */
  public boolean write(
      String tenantId, TenantBudget old, List<Long> calls, String day, long dayCount, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(budgetKey(tenantId));
    item.put(
        "calls",
        AttributeValue.fromL(
            calls.stream().map(c -> AttributeValue.fromN(Long.toString(c))).toList()));
    item.put("day", AttributeValue.fromS(day));
    item.put("dayCount", AttributeValue.fromN(Long.toString(dayCount)));
    long version = old.version() == null ? 0 : old.version();
    item.put("version", AttributeValue.fromN(Long.toString(version + 1)));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(now.getEpochSecond() + 2 * 86400)));
    if (old.blockedUntil() != null) {
      item.put("blockedUntil", AttributeValue.fromN(Long.toString(old.blockedUntil())));
      item.put(
          "blockedBy", AttributeValue.fromS(old.blockedBy() == null ? "minute" : old.blockedBy()));
    }
    try {
      // Fenced: a sync in flight at a purge must not bring its tenant's budget back. A
      // disconnected tenant keeps no budget, so its call goes ahead uncounted and Xero refuses it.
      TenantFence.put(
          dynamo,
          table,
          tenantId,
          r -> {
            r.tableName(table).item(TenantItems.stamp(tenantId, item));
            if (!old.exists()) {
              r.conditionExpression("attribute_not_exists(pk)");
            } else if (old.version() == null) {
              // Written so far only by a 429's block, which sets no version.
              r.conditionExpression("attribute_not_exists(version)");
            } else {
              r.conditionExpression("version = :v")
                  .expressionAttributeValues(
                      Map.of(":v", AttributeValue.fromN(Long.toString(version))));
            }
          });
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** Blocks the tenant until {@code until}, unless a later block already stands. */
  public void block(String tenantId, String problem, Instant until) {
    TenantFence.update(
        dynamo,
        table,
        tenantId,
        r ->
            r.tableName(table)
                .key(budgetKey(tenantId))
                .updateExpression(
                    TenantItems.set("SET blockedUntil = :until, blockedBy = :by, expiresAt = :ttl"))
                .conditionExpression("attribute_not_exists(blockedUntil) OR blockedUntil < :until")
                .expressionAttributeValues(
                    TenantItems.values(
                        tenantId,
                        Keys.rateBudgetPk(tenantId),
                        Map.of(
                            ":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                            ":by", AttributeValue.fromS(problem),
                            ":ttl",
                                AttributeValue.fromN(
                                    Long.toString(until.getEpochSecond() + 2 * 86400))))));
  }

  /**
   * Counts one app-wide call unless the app already made {@code limit} in the last {@code window};
   * empty if taken, otherwise when a call leaves the window. Calls are counted in 5 s slices, and
   * every slice that touches the window counts whole, so the count is never less than Xero's
   * rolling one (a per-minute counter let twice the limit through across a minute boundary). Past
   * slices no longer change, so one conditional update of the current slice is race-free.
   */
  public Optional<Instant> takeAppCall(Instant now, int limit, Duration window) {
    long current = now.toEpochMilli() / APP_SLICE_MS;
    long oldest = (now.toEpochMilli() - window.toMillis()) / APP_SLICE_MS;
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", AttributeValue.fromS(Keys.APP_RATE_PK));
    values.put(":from", AttributeValue.fromS(Keys.appRateSk(oldest)));
    values.put(":to", AttributeValue.fromS(Keys.appRateSk(current - 1)));
    long used = 0;
    Long firstUsed = null;
    for (Map<String, AttributeValue> slice :
        dynamo
            .queryPaginator(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(values))
            .items()) {
      long calls = number(slice, "calls");
      if (calls > 0 && firstUsed == null) {
        firstUsed = Long.parseLong(ItemCodec.attr(slice, "sk").s().substring(2));
      }
      used += calls;
    }
    if (used >= limit) {
      // used >= limit > 0 means some slice had calls, so firstUsed is set.
      return Optional.of(
          leaves(java.util.Objects.requireNonNull(firstUsed, "no slice had calls"), window));
    }
    long left = limit - used;
    try {
      dynamo.updateItem(
          r ->
              r.tableName(table)
                  .key(Keys.key(Keys.APP_RATE_PK, Keys.appRateSk(current)))
                  .updateExpression("ADD calls :one SET expiresAt = :ttl")
                  .conditionExpression("attribute_not_exists(calls) OR calls < :left")
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":left", AttributeValue.fromN(Long.toString(left)),
                          ":ttl",
                              AttributeValue.fromN(Long.toString(now.getEpochSecond() + 600)))));
      return Optional.empty();
    } catch (ConditionalCheckFailedException e) {
      return Optional.of(leaves(firstUsed == null ? current : firstUsed, window));
    }
  }

  /** When slice {@code slice}'s calls stop counting: its end plus the window. */
  private static Instant leaves(long slice, Duration window) {
    return Instant.ofEpochMilli((slice + 1) * APP_SLICE_MS).plus(window);
  }

  private static Map<String, AttributeValue> budgetKey(String tenantId) {
    return Keys.key(Keys.rateBudgetPk(tenantId), Keys.RATE_BUDGET_SK);
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }
}
