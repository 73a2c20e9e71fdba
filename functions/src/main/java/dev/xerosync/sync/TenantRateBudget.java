package dev.xerosync.sync;

import dev.xerosync.common.Metrics;
import dev.xerosync.xero.CallBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Xero's limits, shared through DynamoDB by every worker: per tenant 60 calls in any rolling minute
 * and a daily allowance, app-wide 10,000 a minute. The tenant's item keeps the times of its recent
 * calls, so the rolling window is enforced exactly (a fixed per-minute counter would let 120 calls
 * through across a minute boundary, and Xero's window rolls). A 429 blocks the tenant until Xero's
 * Retry-After. Concurrency per tenant needs no counter here: the FIFO queue runs one batch per
 * tenant at a time.
 */
public final class TenantRateBudget implements CallBudget {
  /**
   * A call is dated when it takes its slot, and Xero dates it on arrival; a stall between the two
   * (a busy host, a slow connect) must not let Xero see 61 in its window. Two seconds of margin
   * cost about 3% of the allowance; one second was seen to fall short under load.
   */
  static final Duration WINDOW = Duration.ofSeconds(62);

  private static final int MAX_ATTEMPTS = 50;

  public record Limits(int perMinute, int perDay, int appPerMinute) {
    public static Limits xeroStandard() {
      return new Limits(60, 5000, 10_000);
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final Limits limits;

  public TenantRateBudget(DynamoDbClient dynamo, String table, Clock clock, Limits limits) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
    this.limits = limits;
  }

  @Override
  public Optional<Deferral> acquire(String tenantId) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Instant now = clock.instant();
      long nowMs = now.toEpochMilli();
      Map<String, AttributeValue> item = read(tenantId);
      long blockedUntil = number(item, "blockedUntil");
      if (blockedUntil > nowMs) {
        String by = item.containsKey("blockedBy") ? item.get("blockedBy").s() : "minute";
        return Optional.of(new Deferral(by, Duration.ofMillis(blockedUntil - nowMs)));
      }
      List<Long> calls = new ArrayList<>();
      if (item.containsKey("calls")) {
        for (AttributeValue v : item.get("calls").l()) {
          long t = Long.parseLong(v.n());
          if (t > nowMs - WINDOW.toMillis()) {
            calls.add(t);
          }
        }
      }
      if (calls.size() >= limits.perMinute()) {
        long oldest = calls.get(calls.size() - limits.perMinute());
        return Optional.of(
            new Deferral("minute", Duration.ofMillis(oldest + WINDOW.toMillis() - nowMs)));
      }
      String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
      long dayCount = today.equals(string(item, "day")) ? number(item, "dayCount") : 0;
      if (dayCount >= limits.perDay()) {
        Instant midnight =
            LocalDate.ofInstant(now, ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return Optional.of(new Deferral("day", Duration.between(now, midnight)));
      }
      calls.add(nowMs);
      if (!write(tenantId, item, calls, today, dayCount + 1, now)) {
        // Another worker took a call in between: recount after a jittered pause, so racers spread
        // out.
        pause(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 4 + attempt));
        continue;
      }
      Metrics.percent(
          Metrics.XERO_DAILY_BUDGET_USED_PERCENT, 100.0 * (dayCount + 1) / limits.perDay());
      return takeAppCall(now);
    }
    return Optional.of(new Deferral("minute", Duration.ofSeconds(1)));
  }

  @Override
  public void record(String tenantId, RateHeaders headers) {
    if (headers.status() == 429) {
      Duration wait = headers.retryAfter() == null ? Duration.ofSeconds(60) : headers.retryAfter();
      String problem =
          headers.rateLimitProblem() == null
              ? "minute"
              : headers.rateLimitProblem().toLowerCase(java.util.Locale.ROOT);
      block(tenantId, problem, clock.instant().plus(wait));
      return;
    }
    if (headers.dayRemaining() != null && headers.dayRemaining() <= 0) {
      Instant now = clock.instant();
      block(
          tenantId,
          "day",
          LocalDate.ofInstant(now, ZoneOffset.UTC)
              .plusDays(1)
              .atStartOfDay()
              .toInstant(ZoneOffset.UTC));
    }
  }

  private Optional<Deferral> takeAppCall(Instant now) {
    long minute = now.getEpochSecond() / 60;
    try {
      dynamo.updateItem(
          r ->
              r.tableName(table)
                  .key(key("RATE#APP", "M#" + minute))
                  .updateExpression("ADD calls :one SET expiresAt = :ttl")
                  .conditionExpression("attribute_not_exists(calls) OR calls < :limit")
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":limit", AttributeValue.fromN(Integer.toString(limits.appPerMinute())),
                          ":ttl",
                              AttributeValue.fromN(Long.toString(now.getEpochSecond() + 600)))));
      return Optional.empty();
    } catch (ConditionalCheckFailedException e) {
      return Optional.of(
          new Deferral("appminute", Duration.ofSeconds(60 - now.getEpochSecond() % 60)));
    }
  }

  private void block(String tenantId, String problem, Instant until) {
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(key("RATE#" + tenantId, "BUDGET"))
                .updateExpression("SET blockedUntil = :until, blockedBy = :by, expiresAt = :ttl")
                .conditionExpression("attribute_not_exists(blockedUntil) OR blockedUntil < :until")
                .expressionAttributeValues(
                    Map.of(
                        ":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                        ":by", AttributeValue.fromS(problem),
                        ":ttl",
                            AttributeValue.fromN(
                                Long.toString(until.getEpochSecond() + 2 * 86400)))));
  }

  private Map<String, AttributeValue> read(String tenantId) {
    var response =
        dynamo.getItem(
            r -> r.tableName(table).consistentRead(true).key(key("RATE#" + tenantId, "BUDGET")));
    return response.hasItem() ? response.item() : Map.of();
  }

  private boolean write(
      String tenantId,
      Map<String, AttributeValue> old,
      List<Long> calls,
      String day,
      long dayCount,
      Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key("RATE#" + tenantId, "BUDGET"));
    List<AttributeValue> callValues =
        calls.stream().map(c -> AttributeValue.fromN(Long.toString(c))).toList();
    item.put("calls", AttributeValue.fromL(callValues));
    item.put("day", AttributeValue.fromS(day));
    item.put("dayCount", AttributeValue.fromN(Long.toString(dayCount)));
    long version = number(old, "version");
    item.put("version", AttributeValue.fromN(Long.toString(version + 1)));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(now.getEpochSecond() + 2 * 86400)));
    if (old.containsKey("blockedUntil")) {
      item.put("blockedUntil", old.get("blockedUntil"));
      item.put("blockedBy", old.getOrDefault("blockedBy", AttributeValue.fromS("minute")));
    }
    try {
      dynamo.putItem(
          r -> {
            r.tableName(table).item(item);
            if (old.isEmpty()) {
              r.conditionExpression("attribute_not_exists(pk)");
            } else if (!old.containsKey("version")) {
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

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
