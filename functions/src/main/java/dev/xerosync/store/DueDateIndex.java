package dev.xerosync.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Unpaid invoices by the instant they become overdue: the start of the day after the due date in
 * the organisation's timezone. Every invoice write computes it ({@code odPk}, {@code odSk} on the
 * invoice item, only while the invoice is unpaid, so the index {@link Keys#BY_OVERDUE_AT} is
 * sparse). {@code odPk} is the UTC hour of that instant and one of {@link #SHARDS} shards, so an
 * initial sync's thousands of invoices due on one day spread over partitions; {@code odSk} starts
 * with the instant, so one Query per hour and shard reads exactly the invoices whose instant falls
 * in a window, and nothing else.
 */
public final class DueDateIndex {
  static final String PK = "odPk";
  static final String SK = "odSk";
  static final int SHARDS = 4;
  private static final String WATERMARK_PK = "DUEDATES";
  private static final String WATERMARK_SK = "WATERMARK";

  /** An invoice the index names, and the instant it was keyed at. */
  public record Due(String tenantId, String invoiceId, Instant overdueAt) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final String watermark;

  public DueDateIndex(DynamoDbClient dynamo, String table) {
    this(dynamo, table, WATERMARK_SK);
  }

  /** With its own watermark: a test's or a benchmark's schedule beside others on one table. */
  public DueDateIndex(DynamoDbClient dynamo, String table, String watermark) {
    this.dynamo = dynamo;
    this.table = table;
    this.watermark = watermark;
  }

  /** The start of the day after {@code dueDate} in {@code zone}. */
  public static Instant overdueAt(LocalDate dueDate, ZoneId zone) {
    return dueDate.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** The start of the day {@code days} before {@code dueDate} in {@code zone}. */
  public static Instant dueSoonAt(LocalDate dueDate, ZoneId zone, int days) {
    return dueDate.minusDays(days).atStartOfDay(zone).toInstant();
  }

  static String partition(Instant overdueAt, String invoiceId) {
    return partition(
        overdueAt.truncatedTo(ChronoUnit.HOURS), Math.floorMod(invoiceId.hashCode(), SHARDS));
  }

  private static String partition(Instant hour, int shard) {
    return "OD#" + hour + "#" + shard;
  }

  static String sortKey(Instant overdueAt, String tenantId, String invoiceId) {
    return overdueAt + "#" + tenantId + "#" + invoiceId;
  }

  /**
   * The invoices keyed at an instant in {@code (from, to]}: one Query per hour and shard, reading
   * only the keys of matching items.
   */
  public List<Due> between(Instant fromInstant, Instant toInstant) {
    // Keys hold whole seconds (a day's start), printed at fixed width; so do the bounds.
    Instant from = fromInstant.truncatedTo(ChronoUnit.SECONDS);
    Instant to = toInstant.truncatedTo(ChronoUnit.SECONDS);
    List<Due> due = new ArrayList<>();
    for (Instant hour = from.truncatedTo(ChronoUnit.HOURS);
        !hour.isAfter(to);
        hour = hour.plus(1, ChronoUnit.HOURS)) {
      for (int shard = 0; shard < SHARDS; shard++) {
        String pk = partition(hour, shard);
        Pages.forEachPage(
            dynamo,
            q ->
                q.tableName(table)
                    .indexName(Keys.BY_OVERDUE_AT)
                    .keyConditionExpression("odPk = :pk AND odSk BETWEEN :from AND :to")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", ItemCodec.s(pk),
                            // "#~" sorts after every key of that second: (from, to].
                            ":from", ItemCodec.s(from + "#~"),
                            ":to", ItemCodec.s(to + "#~"))),
            page -> {
              for (var item : page.items()) {
                String[] parts = ItemCodec.requiredStr(item, SK).split("#", 3);
                due.add(new Due(parts[1], parts[2], Instant.parse(parts[0])));
              }
            });
      }
    }
    return due;
  }

  /** Where the due-date schedule's last run got to; null before the first. */
  public @Nullable Instant watermark() {
    var r =
        dynamo.getItem(
            g -> g.tableName(table).consistentRead(true).key(Keys.key(WATERMARK_PK, watermark)));
    return r.hasItem() && !r.item().isEmpty()
        ? Instant.parse(ItemCodec.requiredStr(r.item(), "at"))
        : null;
  }

  public void saveWatermark(Instant at) {
    dynamo.putItem(
        p ->
            p.tableName(table)
                .item(
                    Keys.item(WATERMARK_PK, watermark, Map.of("at", ItemCodec.s(at.toString())))));
  }
}
