package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.aws.CloudFormationTemplate;
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

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
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
    String key = keys.create(TENANT, "auth-test").secret();
    int tenantRoutes = 0;
    // Twice: the second round is answered from the authorizer's cache, whose policy must cover
    // every tenant route, not only the one that filled it.
    for (int round = 0; round < 2; round++) {
      for (Route r : routes()) {
        if (!"TenantKey".equals(r.authorizer())) {
          continue;
        }
        tenantRoutes++;
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
    var issued = keys.create(TENANT, "revoke-test");
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
