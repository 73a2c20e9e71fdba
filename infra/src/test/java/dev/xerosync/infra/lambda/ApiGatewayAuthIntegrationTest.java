package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.xerosync.common.ApiGatewayManagement;
import dev.xerosync.common.AwsClients;
import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.query.AuthorizerHandler;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.testsupport.AdminTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of template.yaml, called through the local host as API Gateway would apply its auth
 * (issue 12, finding 10): the authorizer first (401 without a valid credential, 403 for a deny),
 * its result cached per credential, then the usage-plan key it supplies. A route that a browser or
 * Xero must reach without a credential, or a credential that API Gateway would refuse before our
 * code runs, fails here.
 */
class ApiGatewayAuthIntegrationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TENANT = UUID.randomUUID().toString();
  private static LocalStack stack;
  private static SamApplication app;
  private static ApiKeys keys;

  /** How often API Gateway ran the authorizer function. */
  private static final AtomicInteger authorizerRuns = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withHandler(
                    "AuthorizerFunction",
                    env -> {
                      var real = new AuthorizerHandler(env);
                      return (RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>)
                          (event, context) -> {
                            authorizerRuns.incrementAndGet();
                            return real.handleRequest(event, context);
                          };
                    }));
    app = SamApplication.from(CloudFormationTemplate.fromClasspath().tree());
    keys =
        new ApiKeys(
            stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private record Route(String method, String path, String authorizer, boolean apiKey) {}

  private static List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (var fn : app.functions()) {
      for (var e : fn.apiEvents()) {
        routes.add(new Route(e.method(), e.path(), e.authorizer(), e.apiKeyRequired()));
      }
    }
    assertThat(routes).hasSizeGreaterThan(15);
    return routes;
  }

  @Test
  void browserXeroAndPublicRoutesReachTheirFunctionWithNoCredentialAtAll() throws Exception {
    List<String> open =
        List.of(
            "GET /connect/callback",
            "POST /connect/select",
            "POST /webhooks/xero",
            "GET /openapi.yaml",
            "GET /tenants/{tenantId}/invoices/{invoiceId}/pdf");
    for (Route r : routes()) {
      if (!open.contains(r.method() + " " + r.path())) {
        continue;
      }
      HttpResponse<String> response = call(r, Map.of());
      assertThat(gatewayAnswered(response))
          .as(r + " answered by API Gateway: " + response.statusCode() + " " + response.body())
          .isFalse();
    }
  }

  @Test
  void everyOtherRouteIsRefusedByTheGatewayWithoutACredential() throws Exception {
    for (Route r : routes()) {
      if (r.authorizer() == null) {
        continue;
      }
      HttpResponse<String> none = call(r, Map.of());
      assertThat(none.statusCode()).as(r + " without a credential").isEqualTo(401);
      assertThat(gatewayAnswered(none)).as(r + " refused by the gateway").isTrue();
      HttpResponse<String> forged =
          call(
              r,
              Map.of(
                  "x-api-key",
                  "xsk_000000000000000000_forged",
                  "Authorization",
                  "Bearer xsa1.e30.forged"));
      assertThat(forged.statusCode()).as(r + " with forged credentials").isEqualTo(401);
      assertThat(gatewayAnswered(forged)).isTrue();
    }
  }

  @Test
  void everyRefusalTheGatewayMakesCarriesTheCallingOriginsCorsHeaders() throws Exception {
    // Issue 26, finding 1: without them a browser sees "Failed to fetch", never the 401 that says
    // "fetch a new token".
    String origin = "https://crm.example.com";
    for (Route r : routes()) {
      if (r.authorizer() == null) {
        continue;
      }
      for (Map<String, String> headers :
          List.of(
              Map.of("Origin", origin),
              Map.of("Origin", origin, "Authorization", "Bearer xsp_expired"))) {
        HttpResponse<String> refused = call(r, headers);
        assertThat(refused.statusCode()).as(r + " " + headers.keySet()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
            .as(r + " refusal's Access-Control-Allow-Origin")
            .hasValue(origin);
        assertThat(refused.headers().allValues("Vary")).contains("Origin");
      }
    }
    HttpResponse<String> missing =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/no/such/route"))
                .header("Origin", origin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
    // No Origin, no CORS header: nothing is invented for a server-side caller.
    HttpResponse<String> serverSide =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/no/such/route")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(serverSide.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aTenantKeyPassesTheGatewayOnEveryTenantRouteAndItsCachedResultToo() throws Exception {
    String key = stack.issueApiKey(TENANT, "auth-test").secret();
    int tenantRoutes = 0;
    // Twice: the second round is answered from the authorizer's cache, whose policy must cover
    // every tenant route, not only the one that filled it.
    for (int round = 0; round < 2; round++) {
      for (Route r : routes()) {
        if (!"TenantKey".equals(r.authorizer()) && !"PanelOrTenantKey".equals(r.authorizer())) {
          continue;
        }
        tenantRoutes++;
        // 20 a second, under the tenant's 25: this test is about the authorizer, not the plan.
        Thread.sleep(50);
        HttpResponse<String> response = call(r, Map.of("x-api-key", key));
        assertThat(gatewayAnswered(response))
            .as(r + " with a live tenant key: " + response.statusCode() + " " + response.body())
            .isFalse();
      }
    }
    assertThat(tenantRoutes).isGreaterThan(20);
  }

  @Test
  void adminCredentialsPassTheGatewayOnEveryAdminRouteAndAnotherTenantsTokenIsDenied()
      throws Exception {
    String token =
        AdminTokens.mint(
            stack.adminApiKey(), "acme", "ann@acme.test", Instant.now().plusSeconds(600));
    String theirs =
        AdminTokens.mint(
            stack.adminApiKey(), "other", "oz@other.test", Instant.now().plusSeconds(600));
    int adminRoutes = 0;
    for (Route r : routes()) {
      if (!"AdminCredential".equals(r.authorizer())) {
        continue;
      }
      adminRoutes++;
      for (Map<String, String> credential :
          List.of(
              Map.of("x-admin-key", stack.adminApiKey()),
              Map.of("Authorization", "Bearer " + token))) {
        HttpResponse<String> response = call(r, credential);
        assertThat(gatewayAnswered(response))
            .as(r + " " + credential.keySet() + ": " + response.statusCode() + response.body())
            .isFalse();
      }
      HttpResponse<String> wrongTenant = call(r, Map.of("Authorization", "Bearer " + theirs));
      assertThat(wrongTenant.statusCode()).as(r + " another tenant's admin").isEqualTo(403);
      assertThat(gatewayAnswered(wrongTenant)).isTrue();
    }
    assertThat(adminRoutes).isGreaterThanOrEqualTo(5);
    // The browser's connect link carries its token in the query string.
    HttpResponse<String> link =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(stack.apiUrl() + "/saas-tenants/acme/connect?admin_token=" + token))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gatewayAnswered(link)).as("connect link: " + link.statusCode()).isFalse();
    assertThat(link.statusCode()).isEqualTo(302);
  }

  @Test
  void aRevokedKeyIsRefusedWithinTheBoundEvenWhileTheGatewayStillCachesIt() throws Exception {
    var issued = stack.issueApiKey(TENANT, "revoke-test");
    URI url = URI.create(stack.apiUrl() + "/tenants/" + TENANT + "/aging");
    assertThat(get(url, issued.secret()).statusCode()).isEqualTo(200);

    keys.revoke(TENANT, issued.keyId());
    // Judged by when each accepted request was sent, so the poll interval is not counted.
    long revokedAt = System.nanoTime();
    long lastAcceptedSentAt = revokedAt;
    int status = 200;
    while (status == 200
        && System.nanoTime() - revokedAt < ApiKeys.REVOCATION_BOUND.plusSeconds(5).toNanos()) {
      Thread.sleep(250);
      long sentAt = System.nanoTime();
      status = get(url, issued.secret()).statusCode();
      if (status == 200) {
        lastAcceptedSentAt = sentAt;
      }
    }
    assertThat(status).isEqualTo(401);
    assertThat(Duration.ofNanos(lastAcceptedSentAt - revokedAt))
        .as("the revoked key was still accepted by a request sent this long after the revocation")
        .isLessThan(ApiKeys.REVOCATION_BOUND);
  }

  @Test
  void theTenantKeyAuthorizerRunsOncePerKeyValueAndTtlAndNeverWithoutItsHeader() throws Exception {
    URI aging = URI.create(stack.apiUrl() + "/tenants/" + TENANT + "/aging");
    int before = authorizerRuns.get();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> none =
          HTTP.send(
              HttpRequest.newBuilder(aging).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }
    assertThat(authorizerRuns.get() - before)
        .as("API Gateway refuses a request without x-api-key itself, without invoking")
        .isZero();

    String tenant = UUID.randomUUID().toString();
    aging = URI.create(stack.apiUrl() + "/tenants/" + tenant + "/aging");
    String key = stack.issueApiKey(tenant, "cache-test").secret();
    int runs = authorizerRuns.get();
    long start = System.nanoTime();
    // 200 requests of one tenant are more than its usage plan lets through at once: the authorizer
    // runs before the throttle, so a 429 counts here as a 200 does.
    for (int i = 0; i < 100; i++) {
      passedOrThrottled(get(aging, key));
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    int cached = authorizerRuns.get() - runs;
    // The panel's routes take a key or a panel token: alternatives, so nothing is cached there.
    URI invoice =
        URI.create(stack.apiUrl() + "/tenants/" + TENANT + "/invoices/" + UUID.randomUUID());
    runs = authorizerRuns.get();
    for (int i = 0; i < 100; i++) {
      passedOrThrottled(get(invoice, key));
    }
    int uncached = authorizerRuns.get() - runs;
    System.out.println(
        "authorizer runs per 100 requests with one key: TenantKey route "
            + cached
            + " in "
            + seconds
            + " s, PanelOrTenantKey route "
            + uncached);
    // One run per 5 s TTL (ReauthorizeEvery) the 100 requests took, where there were 100.
    assertThat(cached).isBetween(1, 1 + (int) (seconds / 5));
    assertThat(uncached).isEqualTo(100);
  }

  @Test
  void oneTenantsFloodIsThrottledWhileAnotherTenantIsServed() throws Exception {
    String flooder = UUID.randomUUID().toString();
    String quiet = UUID.randomUUID().toString();
    String floodKey = stack.issueApiKey(flooder, "flood").secret();
    String quietKey = stack.issueApiKey(quiet, "quiet").secret();
    URI floodUrl = URI.create(stack.apiUrl() + "/tenants/" + flooder + "/aging");
    URI quietUrl = URI.create(stack.apiUrl() + "/tenants/" + quiet + "/aging");
    // 16 clients sending 20 requests each as fast as they can: the usage plan's bucket for the
    // tenant's key holds 50 (BurstLimit) and refills 25 a second (RateLimit).
    List<HttpResponse<String>> flood = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Integer> quietStatuses = new ArrayList<>();
    long start = System.nanoTime();
    try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < 16; c++) {
        clients.submit(
            () -> {
              for (int i = 0; i < 20; i++) {
                flood.add(get(floodUrl, floodKey));
              }
              return null;
            });
      }
      for (int i = 0; i < 10; i++) {
        quietStatuses.add(get(quietUrl, quietKey).statusCode());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int throttled = 0;
    int served = 0;
    for (HttpResponse<String> r : flood) {
      if (r.statusCode() == 429) {
        throttled++;
        assertThat(r.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(gatewayAnswered(r)).isTrue();
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        served++;
      }
    }
    System.out.printf(
        "flood of 320 in %.1f s: %d served, %d throttled; the other tenant: %s%n",
        seconds, served, throttled, quietStatuses);
    assertThat(throttled).as("the flooding tenant is throttled").isPositive();
    assertThat((double) served)
        .as("served at most the burst plus the rate for the time the flood took")
        .isLessThanOrEqualTo(50 + 25 * seconds + 1);
    assertThat(quietStatuses).as("the other tenant is unaffected").containsOnly(200);
  }

  @Test
  void aTenantKeyOnlyInTheTableAndNotInTheUsagePlanIsForbiddenByTheGateway() throws Exception {
    // Written to the table alone (no ApiKeyAdminFunction): the authorizer allows it, but the
    // tenant has no usage-plan key, so API Gateway answers 403 as it would on AWS.
    String orphan = UUID.randomUUID().toString();
    String key = keys.create(orphan, "table-only").secret();
    HttpResponse<String> r = get(URI.create(stack.apiUrl() + "/tenants/" + orphan + "/aging"), key);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("{\"message\":\"Forbidden\"}");
  }

  @Test
  void aFunctionWithoutTheGrantIsRefusedByApiGatewaysManagementApi() {
    // QueryFunction's role grants no apigateway action.
    var apiGateway = AwsClients.apiGateway(stack.environment("QueryFunction"));
    assertThatThrownBy(() -> apiGateway.createApiKey("not-allowed", "0123456789abcdef0123456789"))
        .isInstanceOfSatisfying(
            ApiGatewayManagement.Failure.class,
            f -> {
              assertThat(f.status()).isEqualTo(403);
              assertThat(f.type()).isEqualTo("AccessDeniedException");
            });
    assertThat(stack.aws().apiGateway().keyNames()).doesNotContain("not-allowed");
  }

  /** The function answered (the authorizer allowed it), or the tenant's usage plan throttled it. */
  private static void passedOrThrottled(HttpResponse<String> r) {
    assertThat(r.statusCode() == 429 || !gatewayAnswered(r))
        .as(r.statusCode() + " " + r.body())
        .isTrue();
  }

  private static HttpResponse<String> get(URI url, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url).header("x-api-key", key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> call(Route r, Map<String, String> headers) throws Exception {
    String path =
        r.path()
            .replace("{tenantId}", TENANT)
            .replace("{saasTenantId}", "acme")
            .replace("{recordType}", "deal")
            .replace("{recordId}", "d-1")
            .replaceAll("\\{[A-Za-z]+\\}", UUID.randomUUID().toString());
    var builder = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path));
    headers.forEach(builder::header);
    boolean body = r.method().equals("POST") || r.method().equals("PUT");
    if (body) {
      builder.header("Content-Type", "application/json");
    }
    builder.method(
        r.method(),
        body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** API Gateway's own refusals carry x-amzn-ErrorType; our functions' answers never do. */
  private static boolean gatewayAnswered(HttpResponse<String> response) {
    return response.headers().firstValue("x-amzn-ErrorType").isPresent();
  }
}
