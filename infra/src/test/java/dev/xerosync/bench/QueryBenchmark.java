package dev.xerosync.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.query.QueryHandler;
import dev.xerosync.query.QueryWiring;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.InvoiceBucket;
import dev.xerosync.store.Keys;
import dev.xerosync.store.StoreItems;
import dev.xerosync.testsupport.RequestCounter;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code ./dev bench QueryBenchmark}: one tenant with 100k invoices and 10k contacts in the local
 * stack (the DynamoDB stand-in), then, for every view, the latency of a page of 50 and the DynamoDB
 * requests and read capacity it cost (ReturnConsumedCapacity=TOTAL, added by an SDK interceptor),
 * through the query handler with its per-container caches warm, as in a warm Lambda.
 *
 * <p>Invoices are batch-written in the documented item shape (functions/DATA_MODEL.md), checked
 * first against what InvoiceStore.upsert writes for the same invoice; contact totals and the aging
 * ledger are written as the sums the writer's ADDs would reach.
 */
public final class QueryBenchmark {
  static final String TENANT = "b0b0b0b0-0000-4000-8000-000000000001";
  // Not final: quick divides them by 10.
  static int CONTACTS = 10_000;
  static int INVOICES = 100_000;

  /** 20 large customers hold 1,000 invoices each, so pages of 50 are full; the rest share 80k. */
  static final int BIG_CONTACTS = 20;

  static int BIG_SIZE = 1_000;
  static int ITERATIONS = Integer.getInteger("iterations", 200);
  static final LocalDate TODAY = LocalDate.parse("2026-11-21");
  static final Instant SYNCED_AT = Instant.parse("2026-11-21T00:00:00Z");

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("quick")) {
      CONTACTS /= 10;
      INVOICES /= 10;
      BIG_SIZE /= 10;
      ITERATIONS = Math.min(ITERATIONS, 20);
    }
    Figures figures = Figures.to(System.out);
    System.setOut(figures.out());
    figures.require(
        "query-seed-s", "query-open-p99-ms", "query-invoice-detail-p99-ms", "totals-p99-ms");
    figures.run(QueryBenchmark::measure);
  }

  static void measure() throws Exception {
    System.out.println(
        "# query: "
            + INVOICES
            + " invoices, "
            + CONTACTS
            + " contacts, "
            + ITERATIONS
            + " requests a view; "
            + Figures.loadAverage());
    try (LocalAws aws = LocalAws.start()) {
      String table = aws.resources().tableName("Table");
      long t0 = System.nanoTime();
      List<String> contacts = seed(aws.dynamoDb(), table);
      System.out.printf("query-seed-s: %.1f s%n", (System.nanoTime() - t0) / 1e9);

      RequestCounter counter = new RequestCounter();
      DynamoDbClient counted = counter.client(aws);
      Clock clock = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), java.time.ZoneOffset.UTC);
      QueryHandler handler = new QueryHandler(QueryWiring.of(counted, table, clock));
      String key = new ApiKeys(aws.dynamoDb(), table, clock).create(TENANT, "bench").secret();
      Bench bench = new Bench(handler, counter, key);

      // A record linking three large customers, and one with 50 pinned invoices.
      String record = "/tenants/" + TENANT + "/records/deal/big-deal";
      for (int i = 0; i < 3; i++) {
        bench.call(
            "POST", record + "/links", Map.of(), "{\"contactId\":\"" + contacts.get(i) + "\"}");
      }
      String pins = "/tenants/" + TENANT + "/records/account/pinned";
      for (int i = 0; i < 50; i++) {
        bench.call(
            "POST", pins + "/pins", Map.of(), "{\"invoiceId\":\"" + invoiceId(i * 7) + "\"}");
      }

      Random random = new Random(7);
      Supplier<String> big =
          () -> "/tenants/" + TENANT + "/contacts/" + contacts.get(random.nextInt(BIG_CONTACTS));
      Supplier<String> any =
          () -> "/tenants/" + TENANT + "/contacts/" + contacts.get(random.nextInt(CONTACTS));
      Map<String, String[]> views = new LinkedHashMap<>();
      views.put("open", new String[] {"view", "open"});
      views.put("overdue", new String[] {"view", "overdue"});
      views.put("unpaid", new String[] {"view", "unpaid"});
      views.put("paid", new String[] {"view", "paid"});
      views.put("all", new String[] {"view", "all"});
      views.put("draft", new String[] {"view", "draft"});
      views.put(
          "date-range", new String[] {"view", "all", "from", "2026-01-01", "to", "2026-06-30"});
      views.put("status-filter", new String[] {"status", "DRAFT,SUBMITTED,VOIDED"});
      views.put("number-prefix", new String[] {"number", "INV-0"});
      views.put("number-exact", new String[] {"number", "INV-0000123", "match", "exact"});
      for (var v : views.entrySet()) {
        bench.pages("query-" + v.getKey(), () -> big.get() + "/invoices", v.getValue());
      }
      bench.pages(
          "query-small-contact-open", () -> any.get() + "/invoices", new String[] {"view", "open"});
      bench.pages(
          "query-record-unpaid", () -> record + "/invoices", new String[] {"view", "unpaid"});
      bench.pages("query-record-all", () -> record + "/invoices", new String[] {"view", "all"});
      bench.pages("query-record-pinned", () -> pins + "/invoices", new String[] {"view", "pinned"});
      bench.single(
          "query-invoice-detail",
          () -> "/tenants/" + TENANT + "/invoices/" + invoiceId(random.nextInt(INVOICES)));
      bench.single("query-contact-aging", () -> big.get() + "/aging");
      bench.single("query-tenant-aging", () -> "/tenants/" + TENANT + "/aging");
      bench.single("query-record-totals", () -> record + "/totals");
      Bench.Result totals = bench.single("query-totals", () -> big.get() + "/totals");
      System.out.printf("totals-requests: %.1f requests%n", totals.requests());
      System.out.printf("totals-p99-ms: %.2f ms%n", totals.p99());
    }
  }

  static String invoiceId(int n) {
    return String.format("1a1a1a1a-0000-4000-8000-%012d", n);
  }

  // ---- seeding

  static List<String> seed(DynamoDbClient dynamo, String table) throws Exception {
    Random random = new Random(42);
    List<String> contacts = new ArrayList<>();
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    items.add(
        Map.of(
            "pk",
            s(Keys.organisationPk(TENANT)),
            "sk",
            s(Keys.ORGANISATION_SK),
            "shortCode",
            s("!bench"),
            "timezone",
            s("Pacific/Auckland"),
            "name",
            s("Bench Ltd"),
            "baseCurrency",
            s("NZD")));
    for (int c = 0; c < CONTACTS; c++) {
      String id = String.format("c0c0c0c0-0000-4000-8000-%012d", c);
      contacts.add(id);
      items.add(
          Map.of(
              "pk",
              s(Keys.contactPk(TENANT, id)),
              "sk",
              s(Keys.CONTACT_SK),
              "contactId",
              s(id),
              "name",
              s("Customer " + c),
              "isCustomer",
              AttributeValue.fromBool(true),
              "isSupplier",
              AttributeValue.fromBool(false),
              "status",
              s("ACTIVE"),
              "updatedMs",
              AttributeValue.fromN("1")));
    }
    Map<String, BigDecimal[]> totals = new HashMap<>();
    Map<String, BigDecimal[]> aging = new HashMap<>();
    for (int i = 0; i < INVOICES; i++) {
      int c =
          i < BIG_CONTACTS * BIG_SIZE
              ? i / BIG_SIZE
              : BIG_CONTACTS + random.nextInt(CONTACTS - BIG_CONTACTS);
      XeroInvoice inv = randomInvoice(random, invoiceId(i), contacts.get(c), i);
      items.add(StoreItems.invoice(TENANT, inv, SYNCED_AT));
      String type = inv.type();
      String cur = inv.currencyCode();
      InvoiceBucket bucket = InvoiceBucket.of(inv);
      if (bucket == InvoiceBucket.PAID || bucket == InvoiceBucket.UNPAID) {
        BigDecimal[] t =
            totals.computeIfAbsent(
                inv.contactId() + "|" + Keys.totalsSk(type, cur),
                k ->
                    new BigDecimal[] {
                      BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
                    });
        if (bucket == InvoiceBucket.PAID) {
          t[0] = t[0].add(BigDecimal.ONE);
          t[1] = t[1].add(inv.total());
        } else {
          t[2] = t[2].add(BigDecimal.ONE);
          t[3] = t[3].add(inv.amountDue());
          BigDecimal[] a =
              aging.computeIfAbsent(
                  Keys.agingSk(type, cur, String.valueOf(inv.dueDate())),
                  k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
          a[0] = a[0].add(BigDecimal.ONE);
          a[1] = a[1].add(inv.amountDue());
        }
      }
    }
    totals.forEach(
        (k, t) -> {
          String[] parts = k.split("\\|");
          items.add(
              Map.of(
                  "pk",
                  s(Keys.contactPk(TENANT, parts[0])),
                  "sk",
                  s(parts[1]),
                  "paidCount",
                  n(t[0]),
                  "paidAmount",
                  n(t[1]),
                  "unpaidCount",
                  n(t[2]),
                  "unpaidAmount",
                  n(t[3])));
        });
    aging.forEach(
        (sk, a) ->
            items.add(
                Map.of(
                    "pk",
                    s(Keys.agingPk(TENANT)),
                    "sk",
                    s(sk),
                    "unpaidCount",
                    n(a[0]),
                    "unpaidAmount",
                    n(a[1]))));
    batchWrite(dynamo, table, items);
    return contacts;
  }

  static XeroInvoice randomInvoice(Random random, String id, String contactId, int n) {
    LocalDate date = TODAY.minusDays(random.nextInt(3 * 365));
    LocalDate due = date.plusDays(30);
    int roll = random.nextInt(100);
    String status =
        roll < 55
            ? "PAID"
            : roll < 85
                ? "AUTHORISED"
                : roll < 90 ? "DRAFT" : roll < 93 ? "SUBMITTED" : roll < 97 ? "VOIDED" : "DELETED";
    BigDecimal total = BigDecimal.valueOf(100 + random.nextInt(5000), 0).setScale(2);
    BigDecimal paid =
        switch (status) {
          case "PAID" -> total;
          case "AUTHORISED" ->
              random.nextInt(4) == 0
                  ? total.divide(BigDecimal.valueOf(4)).setScale(2)
                  : BigDecimal.ZERO.setScale(2);
          default -> BigDecimal.ZERO.setScale(2);
        };
    BigDecimal dueAmount =
        List.of("PAID", "VOIDED", "DELETED").contains(status)
            ? BigDecimal.ZERO.setScale(2)
            : total.subtract(paid);
    List<XeroPayment> payments =
        paid.signum() == 0
            ? List.of()
            : List.of(new XeroPayment("p-" + id, date.plusDays(10), paid, "Bank transfer"));
    String currency = random.nextInt(10) == 0 ? "AUD" : "NZD";
    return new XeroInvoice(
        id,
        String.format("INV-%07d", n),
        "PO " + n,
        "ACCREC",
        status,
        contactId,
        "Customer",
        date,
        due,
        currency,
        total,
        BigDecimal.ZERO.setScale(2),
        total,
        dueAmount,
        paid,
        BigDecimal.ZERO.setScale(2),
        "PAID".equals(status) ? date.plusDays(10) : null,
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n),
        payments,
        List.of());
  }

  static void batchWrite(
      DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < items.size(); from += 25) {
      List<WriteRequest> batch =
          items.subList(from, Math.min(items.size(), from + 25)).stream()
              .map(
                  i ->
                      WriteRequest.builder()
                          .putRequest(PutRequest.builder().item(i).build())
                          .build())
              .toList();
      futures.add(
          pool.submit(
              () -> {
                Map<String, List<WriteRequest>> pending = Map.of(table, batch);
                while (!pending.isEmpty()) {
                  Map<String, List<WriteRequest>> request = pending;
                  var r = dynamo.batchWriteItem(b -> b.requestItems(request));
                  pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(BigDecimal v) {
    return AttributeValue.fromN(v.toPlainString());
  }

  // ---- measuring

  static final class Bench {
    record Result(double p50, double p99, double requests, double rcu, int maxRequests) {}

    final QueryHandler handler;
    final RequestCounter counter;
    final String key;

    Bench(QueryHandler handler, RequestCounter counter, String key) {
      this.handler = handler;
      this.counter = counter;
      this.key = key;
    }

    APIGatewayProxyResponseEvent call(
        String method, String path, Map<String, String> query, String body) {
      String template =
          path.replaceAll("/tenants/[^/]+", "/tenants/{tenantId}")
              .replaceAll("/contacts/[^/]+", "/contacts/{contactId}")
              .replaceAll("/invoices/[^/]+", "/invoices/{invoiceId}")
              .replaceAll("/records/[^/]+/[^/]+", "/records/{recordType}/{recordId}");
      Map<String, String> params = new HashMap<>();
      String[] p = path.split("/");
      String[] t = template.split("/");
      for (int i = 0; i < t.length; i++) {
        if (t[i].startsWith("{")) {
          params.put(t[i].substring(1, t[i].length() - 1), p[i]);
        }
      }
      var r =
          handler.handleRequest(
              new APIGatewayProxyRequestEvent()
                  .withHttpMethod(method)
                  .withResource(template)
                  .withPath(path)
                  .withPathParameters(params)
                  .withQueryStringParameters(query.isEmpty() ? null : query)
                  .withHeaders(Map.of("x-api-key", key))
                  // What the TenantKey authorizer hands on for this tenant's key.
                  .withRequestContext(
                      dev.xerosync.auth.TenantCredential.apiKey(params.get("tenantId"), null)
                          .requestContext())
                  .withBody(body),
              null);
      if (r.getStatusCode() >= 300) {
        throw new IllegalStateException(
            method + " " + path + " " + query + " -> " + r.getStatusCode() + " " + r.getBody());
      }
      return r;
    }

    /** First and second pages of 50 of a listing. */
    Result pages(String name, Supplier<String> path, String[] params) {
      List<Double> ms = new ArrayList<>();
      List<Integer> requests = new ArrayList<>();
      List<Double> rcu = new ArrayList<>();
      for (int i = 0; i < ITERATIONS + 20; i++) {
        String p = path.get();
        Map<String, String> q = new HashMap<>();
        for (int k = 0; k + 1 < params.length; k += 2) {
          q.put(params[k], params[k + 1]);
        }
        q.put("limit", "50");
        String cursor = null;
        for (int page = 0; page < 2; page++) {
          if (cursor != null) {
            q.put("cursor", cursor);
          }
          counter.reset();
          long t0 = System.nanoTime();
          var r = call("GET", p, q, null);
          double elapsed = (System.nanoTime() - t0) / 1e6;
          if (i >= 20) { // the first 20 warm up the JIT and the per-container caches
            ms.add(elapsed);
            requests.add(counter.requests());
            rcu.add(counter.rcu());
          }
          JsonNode body = read(r);
          if (body.path("nextCursor").isNull()) {
            break;
          }
          cursor = body.path("nextCursor").asText();
        }
      }
      return report(name, ms, requests, rcu, true);
    }

    Result single(String name, Supplier<String> path) {
      List<Double> ms = new ArrayList<>();
      List<Integer> requests = new ArrayList<>();
      List<Double> rcu = new ArrayList<>();
      for (int i = 0; i < ITERATIONS + 20; i++) {
        String p = path.get();
        counter.reset();
        long t0 = System.nanoTime();
        call("GET", p, Map.of(), null);
        double elapsed = (System.nanoTime() - t0) / 1e6;
        if (i >= 20) {
          ms.add(elapsed);
          requests.add(counter.requests());
          rcu.add(counter.rcu());
        }
      }
      return report(name, ms, requests, rcu, false);
    }

    static Result report(
        String name, List<Double> ms, List<Integer> requests, List<Double> rcu, boolean page) {
      double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double p50 = sorted[(int) Math.floor(0.50 * (sorted.length - 1))];
      double p99 = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
      double meanRequests = requests.stream().mapToInt(Integer::intValue).average().orElse(0);
      int maxRequests = requests.stream().mapToInt(Integer::intValue).max().orElse(0);
      double meanRcu = rcu.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      String unit = page ? "per-page" : "per-request";
      System.out.printf(
          "%s-p50-ms: %.2f ms%n%s-p99-ms: %.2f ms%n%s-requests-%s: %.2f requests (max %d)%n%s-rcu-%s: %.2f RCU%n",
          name, p50, name, p99, name, unit, meanRequests, maxRequests, name, unit, meanRcu);
      return new Result(p50, p99, meanRequests, meanRcu, maxRequests);
    }

    static JsonNode read(APIGatewayProxyResponseEvent r) {
      try {
        return Json.MAPPER.readTree(r.getBody());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
