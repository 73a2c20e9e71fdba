package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.Faults;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Payment;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Writes under chaos, for the suite's small test and the large benchmark: Xero loses responses
 * after committing, answers 504 after committing, fails with 5xx and 429s before committing; the
 * write worker is killed between Xero's commit and recording the outcome; the client sends every
 * request twice (same Idempotency-Key, concurrently) and resends payments without a key; each
 * tenant also pushes a history of 60 invoices; tenants' units run interleaved in a shuffled order.
 * Each unit also creates a customer and sends its deposit at once, in two lanes. Then it counts, in
 * the simulator's own ledger, every invoice number, payment reference, contact number and deposit
 * reference that exists more than once.
 */
final class WriteChaos {
  record Figures(
      int operations,
      int duplicates,
      int lost,
      double xeroCallsPerOperation,
      double xeroWritesPerOperation,
      long acceptToSucceededP50Ms,
      long acceptToSucceededP99Ms,
      long readYourWriteP99Ms,
      long queuedP50Ms,
      long queuedP99Ms,
      long onePassP50Ms,
      long onePassP99Ms,
      double passesPerOperation,
      double xeroCallsPerTenant,
      Map<String, Integer> states,
      int workerKills,
      int historyMissing) {
    List<String> lines() {
      return List.of(
          "write-operations: " + operations + " count",
          "write-duplicates: " + duplicates + " count",
          "write-lost: " + lost + " count",
          "write-xero-calls-per-operation: "
              + String.format("%.2f", xeroCallsPerOperation)
              + " calls",
          "write-xero-writes-per-operation: "
              + String.format("%.2f", xeroWritesPerOperation)
              + " calls",
          "write-chaos-accept-to-succeeded-p50-ms: " + acceptToSucceededP50Ms + " ms",
          "write-chaos-accept-to-succeeded-p99-ms: " + acceptToSucceededP99Ms + " ms",
          "write-chaos-read-your-write-p99-ms: " + readYourWriteP99Ms + " ms",
          "write-chaos-queued-p50-ms: " + queuedP50Ms + " ms",
          "write-chaos-queued-p99-ms: " + queuedP99Ms + " ms",
          "write-chaos-one-pass-p50-ms: " + onePassP50Ms + " ms",
          "write-chaos-one-pass-p99-ms: " + onePassP99Ms + " ms",
          "write-passes-per-operation: " + String.format("%.2f", passesPerOperation) + " passes",
          "write-chaos-xero-calls-per-tenant: "
              + String.format("%.1f", xeroCallsPerTenant)
              + " calls",
          "write-worker-kills: " + workerKills + " count",
          "write-history-missing: " + historyMissing + " invoices",
          "write-terminal-states: " + new java.util.TreeMap<>(states));
    }
  }

  /** Each unit is four operations: create A (authorised), pay A, create B, void B. */
  static Figures run(int tenants, int unitsPerTenant, long seed, double killRate) throws Exception {
    Random random = new Random(seed);
    AtomicInteger kills = new AtomicInteger();
    LocalStack stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withVisibilityTimeout(Duration.ofSeconds(3))
                .withHandler(
                    "WriteWorkerFunction",
                    env -> worker(env, killRate, new Random(seed + 1), kills)));
    try {
      WriteBackApi api = new WriteBackApi(stack);
      List<SimOrganisation> orgs = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        SimOrganisation org = stack.xero().createOrganisation("Chaos " + t + " Ltd");
        stack.connect(org);
        orgs.add(org);
        String op =
            api.send(
                    "PUT",
                    org.tenantId(),
                    "/settings/accounting",
                    "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"090\"}",
                    "setup-" + t)
                .operationId();
        api.awaitTerminal(org.tenantId(), op, Duration.ofSeconds(120));
        org.createContact("Chaos Customer " + t, "cc-" + t);
      }
      Faults faults = stack.xero().faults().reseed(seed);
      faults.writeFaults(Faults.WriteFault.RESPONSE_LOST_AFTER_COMMIT, 0.05);
      faults.writeFaults(Faults.WriteFault.GATEWAY_TIMEOUT_AFTER_COMMIT, 0.03);
      faults.writeFaults(Faults.WriteFault.SERVER_ERROR_BEFORE_COMMIT, 0.05);
      faults.writeFaults(Faults.WriteFault.RATE_LIMIT_CONCURRENT, 0.03);

      List<Runnable> units = new ArrayList<>();
      List<Thread> watchers = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Long> readYourWrite = java.util.Collections.synchronizedList(new ArrayList<>());
      Map<String, String> accepted = new ConcurrentHashMap<>(); // operationId -> tenantId
      Map<String, String> invoiceOps = new ConcurrentHashMap<>(); // create-A operation -> tenant
      for (int t = 0; t < tenants; t++) {
        SimOrganisation org = orgs.get(t);
        int tenant = t;
        // One historical push per tenant: two batches of Xero's 50 under the same faults.
        units.add(
            () ->
                twice(
                    api,
                    org,
                    "POST",
                    "/history/invoices",
                    history(tenant),
                    "history-" + tenant,
                    accepted));
        for (int u = 0; u < unitsPerTenant; u++) {
          String a = "ch-" + tenant + "-" + u + "-a";
          String b = "ch-" + tenant + "-" + u + "-b";
          String c = "ch-" + tenant + "-" + u + "-c";
          String d = "ch-" + tenant + "-" + u + "-d";
          String buyer = "{\"name\":\"Chaos Buyer " + tenant + "-" + u + "\"}";
          units.add(
              () -> {
                String inv = invoice(tenant);
                String opA = twice(api, org, "PUT", "/invoices/" + a, inv, a, accepted);
                invoiceOps.put(opA, org.tenantId());
                if (watchers.size() < 60) {
                  watchers.add(
                      Thread.ofVirtual()
                          .start(() -> watch(api, org.tenantId(), opA, readYourWrite)));
                }
                String pay = "{\"paymentId\":\"" + a + "-p\",\"amount\":10}";
                twice(api, org, "POST", "/invoices/" + a + "/payments", pay, a + "-p", accepted);
                // A resend of the payment without our key: the payment id alone keeps it single.
                record(
                    accepted,
                    org,
                    api.send("POST", org.tenantId(), "/invoices/" + a + "/payments", pay, null));
                twice(api, org, "PUT", "/invoices/" + b, inv, b, accepted);
                twice(api, org, "POST", "/invoices/" + b + "/void", null, b + "-v", accepted);
                // A new customer and its deposit, sent together in their own lanes: both may
                // create it, and Xero must end with one contact and one deposit.
                twice(api, org, "PUT", "/contacts/" + c, buyer, c, accepted);
                String dep =
                    "{\"depositId\":\""
                        + d
                        + "\",\"amount\":5,\"accountCode\":\"200\",\"contact\":"
                        + buyer.replace("{", "{\"externalId\":\"" + c + "\",")
                        + "}";
                twice(api, org, "POST", "/deposits", dep, d, accepted);
              });
        }
      }
      // Tenants interleave in a shuffled order; each unit's own steps stay in order, as a
      // product's would.
      Collections.shuffle(units, random);
      long submitStarted = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      units.forEach(u -> done.add(pool.submit(u)));
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      System.out.println(
          "write-chaos-submit-seconds: "
              + (System.nanoTime() - submitStarted) / 1_000_000_000
              + " s");

      // Every accepted operation must end terminal; read-your-write on the invoice creates.
      Map<String, Integer> states = new HashMap<>();
      List<Long> acceptToSucceeded = new ArrayList<>();
      List<Long> queued = new ArrayList<>();
      List<Long> onePass = new ArrayList<>();
      long passes = 0;
      long calls = 0;
      int lost = 0;
      Instant deadline = Instant.now().plus(Duration.ofSeconds(120 + accepted.size() / 5));
      for (var e : accepted.entrySet()) {
        JsonNode op;
        try {
          op =
              api.awaitTerminal(
                  e.getValue(),
                  e.getKey(),
                  Duration.between(Instant.now(), deadline).isNegative()
                      ? Duration.ofMillis(1)
                      : Duration.between(Instant.now(), deadline));
        } catch (AssertionError notTerminal) {
          lost++;
          continue;
        }
        String state = op.path("state").asText();
        states.merge(state, 1, Integer::sum);
        calls += op.path("xeroCalls").asLong();
        passes += op.path("attempts").asLong();
        if (op.hasNonNull("startedAt")) {
          queued.add(
              Duration.between(
                      Instant.parse(op.path("createdAt").asText()),
                      Instant.parse(op.path("startedAt").asText()))
                  .toMillis());
          if (op.path("attempts").asInt() == 1 && op.hasNonNull("finishedAt")) {
            onePass.add(
                Duration.between(
                        Instant.parse(op.path("startedAt").asText()),
                        Instant.parse(op.path("finishedAt").asText()))
                    .toMillis());
          }
        }
        if ("SUCCEEDED".equals(state)) {
          Instant created = Instant.parse(op.path("createdAt").asText());
          Instant finished = Instant.parse(op.path("finishedAt").asText());
          acceptToSucceeded.add(Duration.between(created, finished).toMillis());
        }
      }
      for (Thread w : watchers) {
        w.join(Duration.ofSeconds(30));
      }
      int duplicates = 0;
      int historyMissing = 0;
      for (SimOrganisation org : orgs) {
        Map<String, Integer> numbers = new HashMap<>();
        for (InvoiceView v : org.invoices()) {
          if (v.invoice().invoiceNumber() != null
              && v.invoice().invoiceNumber().startsWith("ch-")
              && !"DELETED".equals(v.status())) {
            numbers.merge(v.invoice().invoiceNumber(), 1, Integer::sum);
          }
        }
        Map<String, Integer> references = new HashMap<>();
        for (Payment p : org.payments()) {
          if (p.reference() != null && p.reference().startsWith("ch-")) {
            references.merge(p.reference(), 1, Integer::sum);
          }
        }
        for (int n : numbers.values()) {
          duplicates += n - 1;
        }
        historyMissing +=
            HISTORY_INVOICES
                - (int) numbers.keySet().stream().filter(n -> n.matches("ch-\\d+-h\\d+")).count();
        for (int n : references.values()) {
          duplicates += n - 1;
        }
        Map<String, Integer> contacts = new HashMap<>();
        org.contacts().stream()
            .filter(c -> c.contactNumber() != null && c.contactNumber().startsWith("ch-"))
            .forEach(c -> contacts.merge(c.contactNumber(), 1, Integer::sum));
        Map<String, Integer> deposits = new HashMap<>();
        org.bankTransactions().stream()
            .filter(b -> b.reference() != null && b.reference().startsWith("ch-"))
            .filter(b -> !"DELETED".equals(b.status()))
            .forEach(b -> deposits.merge(b.reference(), 1, Integer::sum));
        for (int n : contacts.values()) {
          duplicates += n - 1;
        }
        for (int n : deposits.values()) {
          duplicates += n - 1;
        }
      }
      long writes =
          stack.xero().writeAttempts().stream().filter(w -> w.path().contains("/api.xro")).count();
      int ops = accepted.size();
      long tenantCalls = 0;
      for (SimOrganisation org : orgs) {
        tenantCalls += stack.xero().callCount(org.tenantId());
      }
      return new Figures(
          ops,
          duplicates,
          lost,
          (double) calls / Math.max(1, ops),
          (double) writes / Math.max(1, ops),
          percentile(acceptToSucceeded, 50),
          percentile(acceptToSucceeded, 99),
          percentile(readYourWrite, 99),
          percentile(queued, 50),
          percentile(queued, 99),
          percentile(onePass, 50),
          percentile(onePass, 99),
          (double) passes / Math.max(1, ops),
          (double) tenantCalls / Math.max(1, tenants),
          states,
          kills.get(),
          historyMissing);
    } finally {
      stack.close();
    }
  }

  /**
   * Watches one invoice's operation as a product would: from the moment it is seen SUCCEEDED, how
   * long until the query API shows the invoice.
   */
  private static void watch(WriteBackApi api, String tenantId, String operationId, List<Long> out) {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode op = api.get(tenantId, "/operations/" + operationId).body();
      String state = op.path("state").asText();
      if ("SUCCEEDED".equals(state)) {
        long seen = System.nanoTime();
        String invoiceId = op.path("xero").path("invoiceId").asText();
        while (api.get(tenantId, "/invoices/" + invoiceId).status() != 200) {
          WriteBackApi.sleep(5);
        }
        out.add((System.nanoTime() - seen) / 1_000_000);
        return;
      }
      if (WriteBackApi.TERMINAL.contains(state)) {
        return;
      }
      // Sparse polling: sixty watchers at 10 ms were most of the run's load, and slowed the very
      // writes they timed. Read-your-write is timed from when SUCCEEDED is seen, not from the poll.
      WriteBackApi.sleep(200);
    }
  }

  private static String invoice(int tenant) {
    return "{\"contact\":{\"externalId\":\"cc-"
        + tenant
        + "\",\"name\":\"Chaos Customer "
        + tenant
        + "\"},\"status\":\"AUTHORISED\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Thing\",\"quantity\":1,\"unitAmount\":25,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  static final int HISTORY_INVOICES = 60;

  private static String history(int tenant) {
    List<String> invoices = new ArrayList<>();
    for (int i = 0; i < HISTORY_INVOICES; i++) {
      invoices.add(
          invoice(tenant).replaceFirst("\\{", "{\"invoiceId\":\"ch-" + tenant + "-h" + i + "\","));
    }
    return "{\"pushId\":\"history-"
        + tenant
        + "\",\"invoices\":["
        + String.join(",", invoices)
        + "]}";
  }

  /** The same request twice at once, with one Idempotency-Key: one operation must come of it. */
  private static String twice(
      WriteBackApi api,
      SimOrganisation org,
      String method,
      String path,
      String body,
      String key,
      Map<String, String> accepted) {
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> api.send(method, org.tenantId(), path, body, key));
    var second = api.send(method, org.tenantId(), path, body, key);
    var one = first.join();
    record(accepted, org, one);
    record(accepted, org, second);
    if (!one.operationId().equals(second.operationId())) {
      throw new AssertionError("one Idempotency-Key gave two operations: " + one + " " + second);
    }
    return one.operationId();
  }

  private static void record(
      Map<String, String> accepted, SimOrganisation org, WriteBackApi.Response r) {
    if (r.status() != 202) {
      throw new AssertionError("write not accepted: " + r.status() + " " + r.body());
    }
    accepted.put(r.operationId(), org.tenantId());
  }

  /**
   * The real worker over a DynamoDB client that dies, now and then, when the outcome of an
   * operation is recorded: Xero has committed, the outbox does not know yet.
   */
  static Object worker(Environment env, double killRate, Random random, AtomicInteger kills) {
    DynamoDbClient real = AwsClients.dynamoDb(env);
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("putItem")
              && args != null
              && args.length == 1
              && args[0] instanceof java.util.function.Consumer<?> build) {
            // The store builds its requests with a Consumer; build it here so the check sees it.
            PutItemRequest.Builder b = PutItemRequest.builder();
            @SuppressWarnings("unchecked")
            var consumer = (java.util.function.Consumer<PutItemRequest.Builder>) build;
            consumer.accept(b);
            args = new Object[] {b.build()};
            method = DynamoDbClient.class.getMethod("putItem", PutItemRequest.class);
          }
          if (method.getName().equals("putItem")
              && args != null
              && args.length == 1
              && args[0] instanceof PutItemRequest put
              && put.item().containsKey("state")
              && "SUCCEEDED".equals(put.item().get("state").s())) {
            boolean kill;
            synchronized (random) {
              kill = random.nextDouble() < killRate;
            }
            if (kill) {
              kills.incrementAndGet();
              throw new IllegalStateException("worker killed before recording the outcome");
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    DynamoDbClient dying =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, h);
    return new WriteWorkerHandler(
        WritebackWiring.of(env, dying, AwsClients.sqs(env), AwsClients.secretsManager(env)),
        env.getInt("WRITE_MAX_RECEIVES", 10));
  }

  static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
