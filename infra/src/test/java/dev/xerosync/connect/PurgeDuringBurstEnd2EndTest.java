package dev.xerosync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.Keys;
import dev.xerosync.testsupport.StackQueues;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 29's acceptance, through the whole local stack: a tenant is purged ({@code DELETE
 * …/connections/{tenant}?purge=true}) in the middle of a burst of Xero's signed webhooks (each
 * invoice the simulator's organisation gains raises one) and write API calls. From the purge's
 * answer on, no item of the tenant may exist but its connection (DISCONNECTED) and the registry
 * entries that name it: not while the burst goes on, not while the queues drain, not after the
 * hourly sweep has run, and not in the quiet that follows.
 *
 * <p>The watch lasts until every queue that carries a tenant's work (sync, delayed sync, writes,
 * notifications) is empty, in flight and delayed included, and the simulator has delivered every
 * webhook, then through a reconcile sweep and a further {@link #QUIET}: once nothing is queued or
 * in flight, only a schedule could write for the tenant, and the sweep is the schedule that syncs
 * tenants. That proves what a minute's wait would, in less time than a minute.
 */
class PurgeDuringBurstEnd2EndTest {
  private static final Duration BURST_BEFORE = Duration.ofSeconds(3);
  private static final Duration BURST_AFTER = Duration.ofSeconds(3);
  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final Duration QUIET = Duration.ofSeconds(10);

  /**
   * Between write API calls: about 25 writes before the purge, with the sync's reads under the
   * writes' 45 of the tenant's 60 Xero calls a minute. At one every 20 ms, 70 were accepted, the
   * last 34 waited for the tenant's minute to roll, and the watch idled 56 s for them to come back
   * (and be dropped: the purge had removed their operations).
   */
  private static final Duration WRITE_EVERY = Duration.ofMillis(100);

  private static final List<String> WORK_QUEUES =
      List.of("SyncQueue", "SyncDelayQueue", "WriteQueue", "NotificationQueue");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    // A short visibility timeout: a message that failed at the purge comes back within the watch.
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void noItemOfATenantPurgedInTheMiddleOfABurstRemainsOrComesBack() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Burst Purge Ltd");
    String tenant = org.tenantId();
    String contact = org.createContact("Burst Customer");
    connect("burst", org);
    // Issued as a deployment issues keys: one made in the table alone gets 403 at the gateway.
    String key = stack.issueApiKey(tenant, "burst").secret();

    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService burst = Executors.newFixedThreadPool(2);
    // Xero's side: every invoice the organisation gains raises a signed webhook to the stack.
    Future<Integer> changes =
        burst.submit(
            () -> {
              int n = 0;
              while (!stop.get()) {
                org.createAuthorisedInvoice(
                    contact,
                    LocalDate.now(),
                    LocalDate.now().plusDays(30),
                    BigDecimal.valueOf(n + 1));
                n++;
                Thread.sleep(20);
              }
              return n;
            });
    // Our side: write API calls, each queued for the write worker (refused once the key dies).
    AtomicInteger accepted = new AtomicInteger();
    Future<Integer> writes =
        burst.submit(
            () -> {
              int n = 0;
              while (!stop.get()) {
                int status =
                    send(
                            "PUT",
                            "/tenants/" + tenant + "/invoices/burst-" + n++,
                            Map.of("x-api-key", key, "Content-Type", "application/json"),
                            invoice(contact))
                        .statusCode();
                if (status == 202) {
                  accepted.incrementAndGet();
                }
                Thread.sleep(WRITE_EVERY.toMillis());
              }
              return n;
            });

    Thread.sleep(BURST_BEFORE.toMillis());
    assertThat(leftovers(tenant)).as("the burst's data landed before the purge").isNotEmpty();
    HttpResponse<String> purged =
        send(
            "DELETE",
            "/saas-tenants/burst/connections/" + tenant + "?purge=true",
            Map.of("x-admin-key", stack.adminApiKey()),
            null);
    assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(purged.body()).path("purgedItems").asInt()).isPositive();
    long purgedAt = System.nanoTime();

    watch(tenant, purgedAt, () -> System.nanoTime() - purgedAt > BURST_AFTER.toNanos());
    stop.set(true);
    assertThat(changes.get(30, TimeUnit.SECONDS)).as("webhook-raising changes").isPositive();
    assertThat(writes.get(30, TimeUnit.SECONDS)).as("write API calls").isPositive();
    assertThat(accepted.get()).as("writes queued before the purge").isPositive();
    burst.shutdown();

    assertThat(stack.xero().awaitDeliveriesIdle(DRAIN)).as("Xero's webhooks delivered").isTrue();
    long drainUntil = System.nanoTime() + DRAIN.toNanos();
    watch(tenant, purgedAt, () -> queuesEmpty() || System.nanoTime() > drainUntil);
    assertThat(queuesEmpty()).as("every work queue drained within " + DRAIN).isTrue();
    stack.schedules().fire("ReconcileFunction");
    long quietFrom = System.nanoTime();
    watch(tenant, purgedAt, () -> System.nanoTime() - quietFrom > QUIET.toNanos());
    assertThat(queuesEmpty()).as("the sweep queued nothing for the purged tenant").isTrue();
  }

  /** Checks every 250 ms, until {@code done}, that nothing of the tenant is back. */
  private static void watch(String tenant, long purgedAt, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    do {
      List<String> left = leftovers(tenant);
      assertThat(left)
          .as(
              "items of the tenant %s s after its purge",
              Duration.ofNanos(System.nanoTime() - purgedAt).toMillis() / 1000.0)
          .isEmpty();
      Thread.sleep(250);
    } while (!done.getAsBoolean());
  }

  /**
   * The tenant's items (in a key, or in a tenantId attribute) but the three a disconnect keeps: the
   * connection, showing DISCONNECTED, and the registry entries naming it (Scan: test only).
   */
  private static List<String> leftovers(String tenant) {
    Set<String> kept =
        Set.of(
            Keys.tenantPk(tenant) + " " + Keys.CONNECTION_SK,
            Keys.TENANTS_PK + " " + Keys.tenantsSk(tenant),
            Keys.saasPk("burst") + " " + Keys.saasConnectionSk(tenant));
    List<String> left = new ArrayList<>();
    stack
        .aws()
        .dynamoDb()
        .scanPaginator(s -> s.tableName(table()).consistentRead(true))
        .items()
        .forEach(
            item -> {
              String pk = item.get("pk").s();
              String sk = item.get("sk").s();
              AttributeValue owner = item.get("tenantId");
              if ((pk.contains(tenant)
                      || sk.contains(tenant)
                      || (owner != null && tenant.equals(owner.s())))
                  && !kept.contains(pk + " " + sk)) {
                left.add(pk + " " + sk);
              }
            });
    return left;
  }

  private static boolean queuesEmpty() {
    return StackQueues.empty(stack, WORK_QUEUES);
  }

  private static String invoice(String contact) {
    return "{\"contact\":{\"xeroContactId\":\""
        + contact
        + "\"},\"status\":\"AUTHORISED\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Burst\",\"quantity\":1,\"unitAmount\":10,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  /**
   * The hosted connect flow, as the admin's browser runs it: start, the simulator's consent, the
   * callback; then waits for the initial sync.
   */
  private static void connect(String saasTenantId, SimOrganisation org) throws Exception {
    HttpResponse<String> start =
        send(
            "GET",
            "/saas-tenants/" + saasTenantId + "/connect",
            Map.of("x-admin-key", stack.adminApiKey()),
            null);
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    HttpResponse<String> consent =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        start.headers().firstValue("Location").orElseThrow()
                            + "&sim_consent="
                            + org.tenantId()
                            + "&sim_user="
                            + URLEncoder.encode("admin@burst.test", StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
    HttpResponse<String> callback =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(consent.headers().firstValue("Location").orElseThrow()))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(201);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String status = "";
    while (!status.equals("CONNECTED") && System.nanoTime() < deadline) {
      HttpResponse<String> r =
          send(
              "GET",
              "/saas-tenants/" + saasTenantId + "/connections/" + org.tenantId(),
              Map.of("x-admin-key", stack.adminApiKey()),
              null);
      JsonNode body = Json.MAPPER.readTree(r.body());
      status = body.path("status").asText();
      Thread.sleep(100);
    }
    assertThat(status).as("the connection after its initial sync").isEqualTo("CONNECTED");
  }

  private static HttpResponse<String> send(
      String method, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String table() {
    return stack.aws().resources().tableName("Table");
  }
}
