package dev.xerosync.bench;

import dev.xerosync.infra.aws.LocalAws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB stand-in through the real SDK client over loopback HTTP: how long local AWS takes to
 * start, puts per second into the template's table (with its three indexes), and the latency of a
 * 50-item page from a GSI holding 100,000 items.
 *
 * <p>{@code ./dev bench DynamoDbBenchmark} for 100,000 items, {@code ./dev bench DynamoDbBenchmark
 * quick} for 5,000 (each of the 100 contacts still fills its page of 50). Prints {@code
 * local-stack-start-s}, {@code dynamodb-put-per-s} and {@code dynamodb-query-page-p50-ms}.
 */
public final class DynamoDbBenchmark {

  private static final int CONTACTS = 100;
  private static final int WRITERS = 4;

  public static void main(String[] args) {
    Figures figures = Figures.to(System.out);
    figures.require("local-stack-start-s", "dynamodb-put-per-s", "dynamodb-query-page-p50-ms");
    figures.run(() -> measure(args, figures.out()));
  }

  private static void measure(String[] args, java.io.PrintStream out) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    int items = quick ? 5_000 : 100_000;
    int queries = quick ? 200 : 2_000;

    long t0 = System.nanoTime();
    try (var aws = LocalAws.start()) {
      double startSeconds = (System.nanoTime() - t0) / 1e9;
      out.printf("local-stack-start-s: %.2f s%n", startSeconds);
      var dynamo = aws.dynamoDb();
      var table = aws.resources().tableName("Table");

      // Warm the path (JIT, connections) before measuring.
      for (int i = 0; i < 500; i++) {
        int n = i;
        dynamo.putItem(r -> r.tableName(table).item(invoice(-1 - n)));
      }

      var next = new AtomicInteger();
      long p0 = System.nanoTime();
      try (var pool = Executors.newFixedThreadPool(WRITERS)) {
        var done = new ArrayList<Future<?>>();
        for (int w = 0; w < WRITERS; w++) {
          done.add(
              pool.submit(
                  () -> {
                    for (int n = next.getAndIncrement(); n < items; n = next.getAndIncrement()) {
                      int id = n;
                      dynamo.putItem(r -> r.tableName(table).item(invoice(id)));
                    }
                  }));
        }
        for (var f : done) {
          f.get();
        }
      }
      double putSeconds = (System.nanoTime() - p0) / 1e9;
      out.printf("dynamodb-put-per-s: %.0f puts/s%n", items / putSeconds);

      var random = new Random(7);
      var latencies = new ArrayList<Long>();
      for (int q = 0; q < queries + 100; q++) {
        var contact = "TENANT#1#CONTACT#" + random.nextInt(CONTACTS);
        long s = System.nanoTime();
        var page =
            dynamo.query(
                r ->
                    r.tableName(table)
                        .indexName("ByContactDate")
                        .keyConditionExpression("gsi1pk = :c")
                        .expressionAttributeValues(Map.of(":c", s(contact)))
                        .scanIndexForward(false)
                        .limit(50));
        long elapsed = System.nanoTime() - s;
        if (page.count() != 50) {
          throw new IllegalStateException("a page of 50 expected, got " + page.count());
        }
        if (q >= 100) {
          latencies.add(elapsed);
        }
      }
      latencies.sort(null);
      out.printf(
          "dynamodb-query-page-p50-ms: %.2f ms%n", latencies.get(latencies.size() / 2) / 1e6);
      out.printf("dynamodb-items: %d items%n", items);
    }
  }

  /** An invoice item the size and shape of the ones the sync writes (three index keys). */
  private static Map<String, AttributeValue> invoice(int n) {
    var item = new HashMap<String, AttributeValue>();
    int contact = Math.floorMod(n, CONTACTS);
    String id = String.format("%08d", n < 0 ? 90_000_000 - n : n);
    item.put("pk", s("TENANT#1"));
    item.put("sk", s("INVOICE#" + id));
    item.put("gsi1pk", s("TENANT#1#CONTACT#" + contact));
    item.put("gsi1sk", s("2026-" + String.format("%02d", 1 + Math.floorMod(n, 12)) + "-01#" + id));
    item.put("gsi2pk", s("TENANT#1#CONTACT#" + contact + "#OPEN"));
    item.put("gsi2sk", s("2026-12-" + String.format("%02d", 1 + Math.floorMod(n, 28))));
    item.put("gsi3pk", s("TENANT#1#NUMBER"));
    item.put("gsi3sk", s("INV-" + id));
    item.put("type", s("ACCREC"));
    item.put("status", s("AUTHORISED"));
    item.put("currency", s("NZD"));
    item.put("total", AttributeValue.fromN("1234.56"));
    item.put("amountDue", AttributeValue.fromN("234.56"));
    item.put("updatedMs", AttributeValue.fromN(Long.toString(1_780_000_000_000L + n)));
    item.put("reference", s("Reference text for invoice " + id + " of a typical length"));
    item.put("lines", AttributeValue.fromL(List.of(line(1), line(2), line(3))));
    return item;
  }

  private static AttributeValue line(int i) {
    return AttributeValue.fromM(
        Map.of(
            "description", s("Consulting services, item " + i),
            "quantity", AttributeValue.fromN("2"),
            "unitAmount", AttributeValue.fromN("150.00"),
            "accountCode", s("200")));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}
