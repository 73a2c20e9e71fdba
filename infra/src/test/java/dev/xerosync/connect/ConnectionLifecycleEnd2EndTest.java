package dev.xerosync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.notify.NotificationSignature;
import dev.xerosync.store.RefreshLease;
import dev.xerosync.testsupport.AdminTokens;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.tokens.TokenVault;
import dev.xerosync.tokens.XeroIdentity;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The connection lifecycle through the whole local stack: the browser's requests go to the API
 * Gateway host, the connect, callback, status and disconnect functions of template.yaml run as
 * Lambda would run them, and Xero is the simulator (consent driven with its sim_consent/sim_user
 * switches, as a browser would click through its consent page). Everything printed while this class
 * runs is captured; the last test fails if any token the simulator ever issued appears in it, or in
 * any DynamoDB item.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionLifecycleEnd2EndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
  private static PrintStream originalOut;
  private static PrintStream originalErr;
  private static LocalStack stack;
  private static NotificationReceiver receiver;
  private static String adminKey;

  @BeforeAll
  static void start() throws Exception {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
    // Deliveries retry on DeliveryBackoff's schedule (5 s, 30 s, ...), compressed here so a refused
    // notification comes back within a second or two.
    stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withVisibilityTimeout(Duration.ofSeconds(2))
                .withHandler(
                    "EventDeliveryFunction",
                    env ->
                        new dev.xerosync.events.EventDeliveryHandler(
                            env, dev.xerosync.notify.DeliveryBackoff.STANDARD.compressed(100))));
    receiver = new NotificationReceiver();
    adminKey = stack.adminApiKey();
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (stack != null) {
      stack.close();
    }
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  // ---- the flow ----

  @Test
  @Order(1)
  void anAdminConnectsOneOrganisationAndSeesItsNameTheirEmailAndTheInitialSync() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Acme Books Ltd");
    String contact = org.createContact("Road Runner");
    org.createAuthorisedInvoice(
        contact,
        LocalDate.now().minusDays(10),
        LocalDate.now().plusDays(20),
        new BigDecimal("99.00"));
    setNotificationUrl("acme", "/acme");
    String token =
        AdminTokens.mint(adminKey, "acme", "alice@acme.test", Instant.now().plusSeconds(600));

    HttpResponse<String> start =
        send("GET", "/saas-tenants/acme/connect?admin_token=" + token, Map.of(), null);
    assertThat(start.statusCode()).isEqualTo(302);
    String authorize = start.headers().firstValue("Location").orElseThrow();
    assertThat(authorize)
        .startsWith(stack.xero().baseUrl() + "/identity/connect/authorize?")
        .contains(
            "code_challenge_method=S256",
            "code_challenge=",
            "state=v1.",
            "offline_access",
            "accounting.invoices.read")
        .contains(
            "redirect_uri="
                + URLEncoder.encode(stack.apiUrl() + "/connect/callback", StandardCharsets.UTF_8));

    JsonNode connected = json(callback(consent(authorize, org.tenantId(), "alice@acme.test")), 201);
    assertThat(connected.path("organisationName").asText()).isEqualTo("Acme Books Ltd");
    assertThat(connected.path("connectedBy").asText()).isEqualTo("alice@acme.test");
    assertThat(connected.path("tenantId").asText()).isEqualTo(org.tenantId());
    assertThat(connected.path("status").asText()).isEqualTo("PENDING");

    JsonNode status =
        awaitStatus("acme", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    assertThat(status.path("initialSync").path("percentDone").asInt()).isEqualTo(100);
    assertThat(status.path("organisationName").asText()).isEqualTo("Acme Books Ltd");
    assertThat(status.path("connectedBy").asText()).isEqualTo("alice@acme.test");

    var connectedNote =
        receiver.await(
            n ->
                "connection.connected".equals(n.path("type").asText())
                    && org.tenantId().equals(n.path("tenantId").asText()),
            WAIT);
    var done =
        receiver.await(
            n ->
                "sync.initial_complete".equals(n.path("type").asText())
                    && org.tenantId().equals(n.path("tenantId").asText()),
            WAIT);
    NotificationSignature signature = new NotificationSignature(stack.notificationSigningKey());
    assertThat(signature.verify(connectedNote.signature(), connectedNote.body())).isTrue();
    assertThat(signature.verify(done.signature(), done.body())).isTrue();
    assertThat(signature.verify(done.signature(), done.body().replace("acme", "evil")))
        .as("a changed body fails")
        .isFalse();
    assertThat(done.json().path("saasTenantId").asText()).isEqualTo("acme");

    JsonNode list =
        json(
            send("GET", "/saas-tenants/acme/connections", Map.of("x-admin-key", adminKey), null),
            200);
    assertThat(list.path("connections"))
        .extracting(c -> c.path("tenantId").asText())
        .contains(org.tenantId());
  }

  @Test
  @Order(2)
  void withSeveralOrganisationsGrantedTheUserPicksOneAndNothingIsTakenSilently() throws Exception {
    SimOrganisation first = stack.xero().createOrganisation("Aardvark Holdings");
    SimOrganisation second = stack.xero().createOrganisation("Zebra Trading");
    String authorize = startConnect("beta");

    HttpResponse<String> offered =
        callback(consent(authorize, first.tenantId() + "," + second.tenantId(), "bob@beta.test"));
    JsonNode choose = json(offered, 200);
    assertThat(choose.path("choose"))
        .extracting(c -> c.path("organisationName").asText())
        .containsExactlyInAnyOrder("Aardvark Holdings", "Zebra Trading");
    assertThat(status("beta", first.tenantId()).statusCode())
        .as("nothing connected before the pick")
        .isEqualTo(404);
    assertThat(status("beta", second.tenantId()).statusCode()).isEqualTo(404);

    HttpResponse<String> html = callbackHtmlFor(first, second);
    assertThat(html.body())
        .contains(
            "Which Xero organisation?", "Aardvark Holdings", "Zebra Trading", "name=\"tenantId\"");

    String choice = choose.path("choice").asText();
    assertThat(select(choice, "not-offered").statusCode())
        .as("an organisation that was not offered")
        .isEqualTo(400);
    JsonNode picked = json(select(choice, second.tenantId()), 201);
    assertThat(picked.path("organisationName").asText()).isEqualTo("Zebra Trading");
    assertThat(picked.path("connectedBy").asText()).isEqualTo("bob@beta.test");
    HttpResponse<String> again = select(choice, first.tenantId());
    assertThat(again.statusCode()).as("the choice is single use").isEqualTo(409);
    assertThat(problem(again)).contains("already chosen");

    awaitStatus("beta", second.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    assertThat(status("beta", first.tenantId()).statusCode()).isEqualTo(404);
    // The organisation not picked was removed from the app in Xero: the stored token reaches only
    // the chosen one.
    String access = vault().read(second.tenantId()).orElseThrow().accessToken();
    JsonNode reachable =
        Json.MAPPER.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(stack.xero().baseUrl() + "/connections"))
                        .header("Authorization", "Bearer " + access)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(reachable)
        .extracting(c -> c.path("tenantId").asText())
        .containsExactly(second.tenantId());
  }

  @Test
  @Order(3)
  void aTamperedAReplayedAndAnExpiredStateAreEachRefusedWithAClearMessage() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Guarded Ltd");
    String callback = consent(startConnect("gamma"), org.tenantId(), "carol@gamma.test");
    String state = param(callback, "state");

    // Tampered: one character of the signed payload changed.
    String payload = state.split("\\.")[1];
    String altered =
        state.replace(
            payload,
            payload.substring(0, 5)
                + (payload.charAt(5) == 'A' ? 'B' : 'A')
                + payload.substring(6));
    HttpResponse<String> tampered =
        callback(
            callback
                .replace(
                    URLEncoder.encode(state, StandardCharsets.UTF_8),
                    URLEncoder.encode(altered, StandardCharsets.UTF_8))
                .replace("state=" + state, "state=" + altered));
    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(tampered.headers().firstValue("Content-Type").orElse(""))
        .isEqualTo("application/problem+json");
    assertThat(problem(tampered)).contains("altered");

    HttpResponse<String> missing =
        send("GET", "/connect/callback?code=abc", Map.of("Accept", "application/json"), null);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(problem(missing)).contains("no state");

    // The genuine callback works once; replaying it is refused.
    assertThat(callback(callback).statusCode()).isEqualTo(201);
    HttpResponse<String> replay = callback(callback);
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(problem(replay)).contains("already used");

    // Expired: a correctly signed state whose 10 minutes are over.
    String key =
        stack
            .aws()
            .secretsManager()
            .getSecretValue(
                r -> r.secretId(stack.environment("ConnectFunction").required("STATE_SECRET_ID")))
            .secretString();
    Instant past = Instant.now().minus(Duration.ofHours(1));
    String expired =
        new ConnectState(key, Clock.fixed(past, ZoneOffset.UTC))
            .issue("some-flow", "callback", past.plus(ConnectState.TTL));
    HttpResponse<String> late =
        send(
            "GET",
            "/connect/callback?code=abc&state="
                + URLEncoder.encode(expired, StandardCharsets.UTF_8),
            Map.of("Accept", "application/json"),
            null);
    assertThat(late.statusCode()).isEqualTo(400);
    assertThat(problem(late)).contains("expired");

    HttpResponse<String> denied =
        send(
            "GET",
            "/connect/callback?error=access_denied&state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8),
            Map.of("Accept", "application/json"),
            null);
    assertThat(denied.statusCode()).isEqualTo(400);
    assertThat(problem(denied)).contains("not allowed");
  }

  @Test
  @Order(4)
  void onlyAnAdminOfTheSaasTenantMayConnectOrDisconnect() throws Exception {
    HttpResponse<String> anonymous = send("GET", "/saas-tenants/delta/connect", Map.of(), null);
    // API Gateway's AdminCredential authorizer refuses before the function runs (docs/security.md);
    // the function's own messages are ConnectSigningTest's.
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("Unauthorized");
    String otherTenants =
        AdminTokens.mint(adminKey, "acme", "alice@acme.test", Instant.now().plusSeconds(600));
    assertThat(
            send(
                    "GET",
                    "/saas-tenants/delta/connect",
                    Map.of("Authorization", "Bearer " + otherTenants),
                    null)
                .statusCode())
        .isEqualTo(403);
    String forged =
        AdminTokens.mint(
            "not-the-admin-key-not-the-admin-key",
            "delta",
            "mallory@evil.test",
            Instant.now().plusSeconds(600));
    assertThat(
            send(
                    "GET",
                    "/saas-tenants/delta/connect",
                    Map.of("Authorization", "Bearer " + forged),
                    null)
                .statusCode())
        .isEqualTo(401);
    String stale =
        AdminTokens.mint(adminKey, "delta", "dan@delta.test", Instant.now().minusSeconds(1));
    assertThat(
            send(
                    "GET",
                    "/saas-tenants/delta/connect",
                    Map.of("Authorization", "Bearer " + stale),
                    null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send(
                    "DELETE",
                    "/saas-tenants/delta/connections/" + java.util.UUID.randomUUID(),
                    Map.of("x-admin-key", "wrong"),
                    null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send("GET", "/saas-tenants/bad%20id/connect", Map.of("x-admin-key", adminKey), null)
                .statusCode())
        .isEqualTo(400);
  }

  // ---- failures a tenant must see ----

  @Test
  @Order(5)
  void aRevokedConnectionMovesToNeedsReconnectWithAReasonAnActionAndANotification()
      throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Revoked Widgets Ltd");
    setNotificationUrl("epsilon", "/epsilon");
    connect("epsilon", org, "erin@epsilon.test");
    awaitStatus("epsilon", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));

    String refresh = vault().read(org.tenantId()).orElseThrow().refreshToken();
    HttpResponse<Void> revoked =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.xero().baseUrl() + "/connect/revocation"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (LocalStack.CLIENT_ID + ":" + clientSecret()).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + URLEncoder.encode(refresh, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(revoked.statusCode()).isEqualTo(200);
    org.createContact("A change that makes the worker call Xero");

    JsonNode status =
        awaitStatus(
            "epsilon", org.tenantId(), s -> "NEEDS_RECONNECT".equals(s.path("status").asText()));
    assertThat(status.path("reason").asText()).contains("Revoked Widgets Ltd", "revoked");
    assertThat(status.path("action").asText())
        .contains("reconnects", "/saas-tenants/epsilon/connect");
    assertThat(status.path("actionUrl").asText())
        .isEqualTo(stack.apiUrl() + "/saas-tenants/epsilon/connect");
    var note =
        receiver.await(
            n ->
                "connection.needs_reconnect".equals(n.path("type").asText())
                    && org.tenantId().equals(n.path("tenantId").asText()),
            WAIT);
    assertThat(note.json().path("action").asText()).contains("/saas-tenants/epsilon/connect");
    assertThat(
            new NotificationSignature(stack.notificationSigningKey())
                .verify(note.signature(), note.body()))
        .isTrue();

    // Reconnecting the same organisation resumes cleanly.
    connect("epsilon", org, "erin@epsilon.test");
    JsonNode back =
        awaitStatus("epsilon", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    assertThat(back.has("action")).isFalse();
  }

  @Test
  @Order(6)
  void aConnectionIdleBeyondSixtyDaysMovesToNeedsReconnectAndNotifies() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Dormant Pty");
    setNotificationUrl("zeta", "/zeta");
    connect("zeta", org, "zoe@zeta.test");
    awaitStatus("zeta", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));

    // 61 idle days pass on the stack's one clock (the simulator's, which every function reads), and
    // the daily refresh runs now rather than on its schedule.
    var simClock = stack.xero().clock();
    simClock.advance(Duration.ofDays(61));
    ConnectWiring w = wiring();
    AccessTokens onSimTime =
        new AccessTokens(
            w.vault(),
            new XeroIdentity(
                HttpClient.newHttpClient(),
                stack.xero().baseUrl(),
                LocalStack.CLIENT_ID,
                clientSecret(),
                simClock),
            new RefreshLease(w.dynamo(), w.table(), simClock),
            simClock);
    Map<String, Integer> summary =
        new TokenRefreshHandler(
                w.connections(), onSimTime, w.alerts(), Duration.ofDays(30), simClock)
            .handleRequest(null, null);
    assertThat(summary.get("needsReconnect")).isGreaterThanOrEqualTo(1);

    JsonNode status =
        awaitStatus(
            "zeta", org.tenantId(), s -> "NEEDS_RECONNECT".equals(s.path("status").asText()));
    assertThat(status.path("reason").asText()).contains("Dormant Pty", "expired", "60 days");
    assertThat(status.path("action").asText()).contains("/saas-tenants/zeta/connect");
    receiver.await(
        n ->
            "connection.needs_reconnect".equals(n.path("type").asText())
                && org.tenantId().equals(n.path("tenantId").asText()),
        WAIT);
  }

  @Test
  @Order(7)
  void aNotificationRefusedByTheSaasIsRetriedUntilDelivered() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Retry Co");
    setNotificationUrl("eta", "/eta");
    receiver.refuseNext(2);
    connect("eta", org, "ed@eta.test");
    receiver.await(
        n ->
            "connection.connected".equals(n.path("type").asText())
                && org.tenantId().equals(n.path("tenantId").asText()),
        WAIT);
    assertThat(receiver.refused()).isGreaterThanOrEqualTo(2);
  }

  // ---- disconnect ----

  @Test
  @Order(8)
  void disconnectRemovesTheOrganisationInXeroRevokesDeletesTheSecretAndPurgesOnRequest()
      throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Leaving Ltd");
    String contact = org.createContact("Last Customer");
    String invoice =
        org.createAuthorisedInvoice(
            contact, LocalDate.now(), LocalDate.now().plusDays(7), new BigDecimal("5.00"));
    setNotificationUrl("theta", "/theta");
    connect("theta", org, "tom@theta.test");
    awaitStatus("theta", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    // The query API wants the tenant's API key (ApiKeyAdminFunction issues it); a purge removes it.
    var keys =
        new dev.xerosync.store.ApiKeys(
            stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"), Clock.systemUTC());
    Map<String, String> apiKey =
        Map.of("x-api-key", stack.issueApiKey(org.tenantId(), "e2e").secret());
    String usageKeyName =
        stack.environmentVariables("ApiKeyAdminFunction").get("TENANT_USAGE_KEY_PREFIX")
            + org.tenantId();
    assertThat(stack.aws().apiGateway().keyNames()).contains(usageKeyName);
    assertThat(
            send("GET", "/tenants/" + org.tenantId() + "/invoices/" + invoice, apiKey, null)
                .statusCode())
        .isEqualTo(200);
    String refresh = vault().read(org.tenantId()).orElseThrow().refreshToken();

    String token =
        AdminTokens.mint(
            adminKey,
            "theta",
            "tom@theta.test",
            // The stack's clock, which test 6 moved 61 days on.
            stack.xero().clock().instant().plusSeconds(600));
    JsonNode result =
        json(
            send(
                "DELETE",
                "/saas-tenants/theta/connections/" + org.tenantId() + "?purge=true",
                Map.of("Authorization", "Bearer " + token),
                null),
            200);
    assertThat(result.path("removedInXero").asBoolean()).isTrue();
    assertThat(result.path("tokenRevoked").asBoolean()).isTrue();
    assertThat(result.path("purgedItems").asInt()).isGreaterThan(0);
    assertThat(vault().read(org.tenantId())).as("the secret is deleted").isEmpty();
    // Every credential dies with the tenant: the key's lookup item is gone, and the key is refused
    // once the caches that may still hold it expire (docs/security.md, Revocation).
    assertThat(keys.list(org.tenantId())).isEmpty();
    assertThat(apiKeyItemsOf(org.tenantId())).as("APIKEY# lookup items left").isZero();
    assertThat(stack.aws().apiGateway().keyNames())
        .as("the tenant's usage-plan key is deleted with it")
        .doesNotContain(usageKeyName);
    // The caches were filled before the purge, so no request sent later than the bound after it
    // may still be accepted. Measured by when each accepted request was sent, not by when the
    // poll loop noticed the refusal, which would add the poll interval to the bound.
    long purgedAt = System.nanoTime();
    long lastAcceptedSentAt = purgedAt;
    int afterPurge = 0;
    while (System.nanoTime() - purgedAt < Duration.ofSeconds(20).toNanos()) {
      long sentAt = System.nanoTime();
      afterPurge =
          send("GET", "/tenants/" + org.tenantId() + "/invoices/" + invoice, apiKey, null)
              .statusCode();
      if (afterPurge == 401) {
        break;
      }
      // 403: the gateway still holds the authorizer's allow, but the usage-plan key is gone.
      if (afterPurge != 403) {
        assertThat(afterPurge).as("purged data is never served").isEqualTo(404);
        lastAcceptedSentAt = sentAt;
      }
      Thread.sleep(200);
    }
    assertThat(afterPurge).as("the purged tenant's key is refused").isEqualTo(401);
    assertThat(Duration.ofNanos(lastAcceptedSentAt - purgedAt))
        .as("the key was still accepted by a request sent this long after the purge")
        .isLessThan(dev.xerosync.store.ApiKeys.REVOCATION_BOUND);
    HttpResponse<String> refreshAfter =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.xero().baseUrl() + "/connect/token"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (LocalStack.CLIENT_ID + ":" + clientSecret()).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=refresh_token&refresh_token="
                            + URLEncoder.encode(refresh, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refreshAfter.statusCode())
        .as("the refresh token was revoked in Xero")
        .isEqualTo(400);

    JsonNode status = json(status("theta", org.tenantId()), 200);
    assertThat(status.path("status").asText()).isEqualTo("DISCONNECTED");
    assertThat(status.path("reason").asText()).contains("tom@theta.test");
    receiver.await(
        n ->
            "connection.disconnected".equals(n.path("type").asText())
                && org.tenantId().equals(n.path("tenantId").asText()),
        WAIT);

    // Reconnecting later resumes cleanly: a fresh initial sync brings the data back.
    connect("theta", org, "tom@theta.test");
    awaitStatus("theta", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    Map<String, String> newKey =
        Map.of("x-api-key", stack.issueApiKey(org.tenantId(), "e2e").secret());
    assertThat(
            send("GET", "/tenants/" + org.tenantId() + "/invoices/" + invoice, newKey, null)
                .statusCode())
        .isEqualTo(200);
  }

  private static int apiKeyItemsOf(String tenantId) {
    return stack
        .aws()
        .dynamoDb()
        .scanPaginator(
            r ->
                r.tableName(stack.aws().resources().tableName("Table"))
                    .filterExpression("begins_with(pk, :k) AND tenantId = :t")
                    .expressionAttributeValues(
                        Map.of(
                            ":k",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                "APIKEY#"),
                            ":t",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                tenantId))))
        .stream()
        .mapToInt(page -> page.count())
        .sum();
  }

  @Test
  @Order(10)
  void aSyncStepStillInFlightWhenTheAdminDisconnectsCannotUndoTheDisconnect() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Busy Books Ltd");
    connect("iota", org, "ivy@iota.test");
    awaitStatus("iota", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    var connections = stack.workerWiring().connections();
    var checkpoint = connections.get(org.tenantId()).orElseThrow().initialSync();
    json(
        send(
            "DELETE",
            "/saas-tenants/iota/connections/" + org.tenantId(),
            Map.of("x-admin-key", adminKey),
            null),
        200);

    // What a worker that read the connection before the disconnect writes when its page is done.
    assertThat(
            connections.saveInitialSync(
                org.tenantId(),
                checkpoint,
                checkpoint,
                dev.xerosync.store.ConnectionStatus.SYNCING))
        .isFalse();
    assertThat(json(status("iota", org.tenantId()), 200).path("status").asText())
        .isEqualTo("DISCONNECTED");
  }

  @Test
  @Order(11)
  void aSyncThatKeepsFailingNotifiesASyncErrorOnce() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Flaky Feeds Ltd");
    setNotificationUrl("kappa", "/kappa");
    connect("kappa", org, "kim@kappa.test");
    awaitStatus("kappa", org.tenantId(), s -> "CONNECTED".equals(s.path("status").asText()));
    try {
      stack.xero().faults().serverErrors(1.0);
      org.createContact("Written while Xero answers 500");
      var note =
          receiver.await(
              n ->
                  "sync.error".equals(n.path("type").asText())
                      && org.tenantId().equals(n.path("tenantId").asText()),
              WAIT);
      assertThat(note.json().path("reason").asText())
          .contains("Flaky Feeds Ltd", "retried automatically");
    } finally {
      stack.xero().faults().clear();
    }
    Thread.sleep(3000);
    assertThat(receiver.all())
        .filteredOn(
            r ->
                "sync.error".equals(r.json().path("type").asText())
                    && org.tenantId().equals(r.json().path("tenantId").asText()))
        .as("at most one an hour")
        .hasSize(1);
  }

  // ---- the sample events of events/ ----

  @Test
  @Order(9)
  void theSampleEventsGetTheAnswersEventsReadmePromises() throws Exception {
    assertThat(invoke("ConnectFunction", "connect-start-unauthenticated.json").getStatusCode())
        .isEqualTo(401);
    var wrongKey = invoke("ConnectFunction", "connect-start.json");
    assertThat(wrongKey.getStatusCode())
        .as("the sample key is not this stack's key")
        .isEqualTo(401);
    assertThat(wrongKey.getBody()).contains("does not match");
    var tampered = invoke("ConnectCallbackFunction", "connect-callback-tampered-state.json");
    assertThat(tampered.getStatusCode()).isEqualTo(400);
    assertThat(tampered.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    assertThat(tampered.getBody()).contains("altered");
    assertThat(invoke("ConnectCallbackFunction", "connect-callback-denied.json").getBody())
        .contains("not allowed");
    assertThat(invoke("ConnectCallbackFunction", "connect-select.json").getStatusCode())
        .isEqualTo(400);
    assertThat(invoke("ConnectionStatusFunction", "connect-status.json").getStatusCode())
        .isEqualTo(401);
    assertThat(invoke("DisconnectFunction", "connect-disconnect.json").getStatusCode())
        .isEqualTo(401);

    var schedule =
        com.amazonaws.services.lambda.runtime.tests.EventLoader.loadScheduledEvent(
            "events/connect-token-refresh-schedule.json");
    assertThat(
            ((TokenRefreshHandler) stack.handler("TokenRefreshFunction"))
                .handleRequest(schedule, null))
        .containsKeys("checked", "refreshed");
    var batch =
        com.amazonaws.services.lambda.runtime.tests.EventLoader.loadSQSEvent(
            "events/connect-notification-batch.json");
    assertThat(
            ((dev.xerosync.events.NotificationHandler) stack.handler("NotificationFunction"))
                .handleRequest(batch, null)
                .getBatchItemFailures())
        .isEmpty();
    receiver.await(n -> "0b8f7d0e-4a7e-4e3b-9a55-3f0c2d1e9b11".equals(n.path("id").asText()), WAIT);
  }

  @SuppressWarnings("unchecked")
  private static com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent invoke(
      String function, String event) {
    var handler =
        (com.amazonaws.services.lambda.runtime.RequestHandler<
                com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent,
                com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent>)
            stack.handler(function);
    return handler.handleRequest(
        com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayRestEvent(
            "events/" + event),
        null);
  }

  @Test
  @Order(12)
  void theRedirectUriComesFromApiGatewaysContextNeverFromClientHeaders() throws Exception {
    var event =
        com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayRestEvent(
            "events/connect-start.json");
    Map<String, String> headers = new java.util.HashMap<>(event.getHeaders());
    headers.put("Host", "evil.example");
    headers.put("X-Forwarded-Proto", "javascript");
    headers.put("X-Forwarded-Host", "evil.example");
    headers.put("x-admin-key", adminKey);
    event.setHeaders(headers);
    event.setMultiValueHeaders(null);
    var handler =
        (com.amazonaws.services.lambda.runtime.RequestHandler<
                com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent,
                com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent>)
            stack.handler("ConnectFunction");

    var response = handler.handleRequest(event, null);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(302);
    String location = response.getHeaders().get("Location");
    String redirect =
        java.net.URLDecoder.decode(
            location.replaceAll(".*[?&]redirect_uri=([^&]+).*", "$1"), StandardCharsets.UTF_8);
    assertThat(redirect)
        .isEqualTo("https://" + event.getRequestContext().getDomainName() + "/v1/connect/callback");
  }

  /**
   * Issue 29, finding 8: GUIDs compare case-insensitively, so the organisation picked, its status
   * and its disconnect take its tenant id in upper case as the same tenant.
   */
  @Test
  @Order(13)
  void anUpperCaseTenantIdIsTheSameConnectionWhenPickedReadAndDisconnected() throws Exception {
    SimOrganisation first = stack.xero().createOrganisation("Upper One Ltd");
    SimOrganisation second = stack.xero().createOrganisation("Upper Two Ltd");
    String lower = second.tenantId();
    String upper = lower.toUpperCase(java.util.Locale.ROOT);
    JsonNode choose =
        json(
            callback(
                consent(
                    startConnect("kappa"),
                    first.tenantId() + "," + second.tenantId(),
                    "kim@kappa.test")),
            200);
    JsonNode picked = json(select(choose.path("choice").asText(), upper), 201);
    assertThat(picked.path("tenantId").asText()).isEqualTo(lower);
    awaitStatus("kappa", lower, s -> "CONNECTED".equals(s.path("status").asText()));

    JsonNode byUpper = json(status("kappa", upper), 200);
    JsonNode byLower = json(status("kappa", lower), 200);
    for (String field : List.of("tenantId", "saasTenantId", "status", "organisationName")) {
      assertThat(byUpper.path(field)).as(field).isEqualTo(byLower.path(field));
    }

    JsonNode disconnected =
        json(
            send(
                "DELETE",
                "/saas-tenants/kappa/connections/" + upper,
                Map.of("x-admin-key", adminKey),
                null),
            200);
    assertThat(disconnected.path("tenantId").asText()).isEqualTo(lower);
    assertThat(json(status("kappa", lower), 200).path("status").asText()).isEqualTo("DISCONNECTED");
  }

  // ---- nothing leaked ----

  @Test
  @Order(100)
  void noTokenTheSimulatorIssuedAppearsInAnythingLoggedOrStoredInDynamoDb() {
    Set<String> issued = stack.xero().issuedTokenValues();
    assertThat(issued).as("the tests above issued tokens to look for").hasSizeGreaterThan(10);
    String logged = CAPTURED.toString(StandardCharsets.UTF_8);
    assertThat(logged)
        .as("the tests above logged something to scan")
        .contains("organisation connected");
    for (String token : issued) {
      assertThat(logged.contains(token))
          .as("a token value appears in the captured log output")
          .isFalse();
    }
    String table = stack.aws().resources().tableName("Table");
    StringBuilder stored = new StringBuilder();
    stack
        .aws()
        .dynamoDb()
        .scanPaginator(r -> r.tableName(table))
        .items()
        .forEach(item -> item.values().forEach(v -> stored.append(render(v)).append('\n')));
    for (String token : issued) {
      assertThat(stored.indexOf(token)).as("a token value appears in DynamoDB").isEqualTo(-1);
    }
  }

  // ---- driving the flow ----

  private static String startConnect(String saasTenantId) throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/saas-tenants/" + saasTenantId + "/connect",
            Map.of("x-admin-key", adminKey),
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return r.headers().firstValue("Location").orElseThrow();
  }

  /**
   * The user's consent on the simulator's login page; returns the callback URL Xero redirects to.
   */
  private static String consent(String authorizeUrl, String tenants, String user) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        authorizeUrl
                            + "&sim_consent="
                            + tenants
                            + "&sim_user="
                            + URLEncoder.encode(user, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(stack.apiUrl() + "/connect/callback?");
    return location;
  }

  private static void connect(String saasTenantId, SimOrganisation org, String user)
      throws Exception {
    json(callback(consent(startConnect(saasTenantId), org.tenantId(), user)), 201);
  }

  private static HttpResponse<String> callback(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> callbackHtmlFor(SimOrganisation a, SimOrganisation b)
      throws Exception {
    String url =
        consent(startConnect("beta-html"), a.tenantId() + "," + b.tenantId(), "bob@beta.test");
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> select(String choice, String tenantId) throws Exception {
    String form =
        "choice="
            + URLEncoder.encode(choice, StandardCharsets.UTF_8)
            + "&tenantId="
            + URLEncoder.encode(tenantId, StandardCharsets.UTF_8);
    return send(
        "POST",
        "/connect/select",
        Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
        form);
  }

  private static void setNotificationUrl(String saasTenantId, String path) throws Exception {
    HttpResponse<String> r =
        send(
            "PUT",
            "/saas-tenants/" + saasTenantId + "/notification-url",
            Map.of("x-admin-key", adminKey, "Content-Type", "application/json"),
            "{\"url\":\"" + receiver.url(path) + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static HttpResponse<String> status(String saasTenantId, String tenantId)
      throws Exception {
    return send(
        "GET",
        "/saas-tenants/" + saasTenantId + "/connections/" + tenantId,
        Map.of("x-admin-key", adminKey),
        null);
  }

  private static JsonNode awaitStatus(
      String saasTenantId, String tenantId, Predicate<JsonNode> reached) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = status(saasTenantId, tenantId);
      if (r.statusCode() == 200) {
        last = Json.MAPPER.readTree(r.body());
        if (reached.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("status not reached within " + WAIT + "; last " + last);
  }

  private static HttpResponse<String> send(
      String method, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return Json.MAPPER.readTree(r.body());
  }

  private static String problem(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body()).path("detail").asText();
  }

  private static String param(String url, String name) {
    Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
    assertThat(m.find()).isTrue();
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  private static TokenVault vault() {
    return stack.vault();
  }

  private static ConnectWiring wiring() {
    return ConnectWiring.of(stack.environment("TokenRefreshFunction"));
  }

  private static String clientSecret() {
    return AppSecrets.field(
        stack.environment("SyncWorkerFunction"), "clientSecret", "XERO_CLIENT_SECRET");
  }

  private static String render(AttributeValue v) {
    return v.toString()
        + (v.hasM()
            ? v.m().values().stream().map(ConnectionLifecycleEnd2EndTest::render).toList()
            : "")
        + (v.hasL() ? v.l().stream().map(ConnectionLifecycleEnd2EndTest::render).toList() : "");
  }

  /** Writes through to the real stream and keeps a copy for the leak scan. */
  private static final class Tee extends OutputStream {
    private final OutputStream out;

    Tee(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      out.write(b);
      synchronized (CAPTURED) {
        CAPTURED.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
      synchronized (CAPTURED) {
        CAPTURED.write(b, off, len);
      }
    }
  }
}
