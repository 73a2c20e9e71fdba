package dev.xerosync.store;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * A Scan of the whole table, a few pages per call, its position kept in one progress item so the
 * next call resumes there: how a {@link Backfill} walks the table once per deployment. The item is
 * saved after every page, so a call cut short (a timeout) redoes at most one page, whose items
 * already done the filter leaves out. When the Scan ends the item says so, and each later call
 * costs that one read.
 */
final class ResumableScan {
  /**
   * A call stops after the page during which this much time passed, so two backfills and the
   * schedule's own work stay well inside its 120 s timeout even when every item needs a write.
   */
  static final Duration BUDGET = Duration.ofSeconds(20);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Map<String, AttributeValue> progressKey;
  private final Clock clock;
  private final @Nullable Integer pageItems;

  /**
   * Progress kept at {@code pk}/{@code sk}; {@code pageItems}, when set, is the Scan's Limit (items
   * read per page), so a test walks a small table in several pages.
   */
  ResumableScan(
      DynamoDbClient dynamo,
      String table,
      String pk,
      String sk,
      Clock clock,
      @Nullable Integer pageItems) {
    this.dynamo = dynamo;
    this.table = table;
    this.progressKey = Keys.key(pk, sk);
    this.clock = clock;
    this.pageItems = pageItems;
  }

  /**
   * Scans up to {@code pages} pages with {@code filter}'s filter expression from where the last
   * call stopped, and counts the items {@code each} says it changed.
   */
  Backfill.Progress run(
      int pages,
      Consumer<ScanRequest.Builder> filter,
      Predicate<Map<String, AttributeValue>> each) {
    var stored = dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(progressKey));
    Map<String, AttributeValue> state = stored.hasItem() ? stored.item() : Map.of();
    if (state.containsKey("done")) {
      return new Backfill.Progress(0, true);
    }
    Map<String, AttributeValue> start = state.containsKey("next") ? state.get("next").m() : null;
    long deadline = System.nanoTime() + BUDGET.toNanos();
    int changed = 0;
    for (int page = 0; page < pages; page++) {
      Map<String, AttributeValue> from = start;
      ScanResponse response =
          dynamo.scan(
              s -> {
                s.tableName(table).applyMutation(filter);
                if (pageItems != null) {
                  s.limit(pageItems);
                }
                if (from != null) {
                  s.exclusiveStartKey(from);
                }
              });
      for (var item : response.items()) {
        if (each.test(item)) {
          changed++;
        }
      }
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
      save(start);
      if (start == null || System.nanoTime() - deadline > 0) {
        break;
      }
    }
    return new Backfill.Progress(changed, start == null);
  }

  private void save(@Nullable Map<String, AttributeValue> next) {
    Map<String, AttributeValue> progress = new HashMap<>(progressKey);
    progress.put("at", ItemCodec.s(clock.instant().toString()));
    if (next == null) {
      progress.put("done", AttributeValue.fromBool(true));
    } else {
      progress.put("next", AttributeValue.fromM(next));
    }
    dynamo.putItem(p -> p.tableName(table).item(progress));
  }
}
