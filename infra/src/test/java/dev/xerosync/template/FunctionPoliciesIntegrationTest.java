package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Environment;
import dev.xerosync.infra.aws.iam.IamPolicy;
import dev.xerosync.infra.lambda.FunctionRoles;
import dev.xerosync.infra.lambda.LocalIntrinsics;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Every AWS call each function makes is allowed by that function's policy in template.yaml, and the
 * policy grants nothing the function does not call. Proven by running each function through every
 * sample event of events/ and a scenario (initial sync, changes, reconciliation, an expired token,
 * a spent daily limit) against the local stack, while {@link RecordedAwsCalls} records each call's
 * IAM action and resource; the policies are then evaluated as IAM would (actions and ARN patterns).
 */
class FunctionPoliciesIntegrationTest {
  private static final String SAMPLE_WEBHOOK_KEY = "sample-webhook-key-for-events-only";

  /** The tenant, contact and invoices the sample events name (from Xero's published examples). */
  private static final String SAMPLE_TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f";

  private static final String SAMPLE_CONTACT = "a3675fc4-f8dd-4f03-ba5b-f1870566bcd7";
  private static final String SAMPLE_INVOICE = "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2";
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";

  /**
   * Grants the scenario cannot reach locally, each with the code path that needs it. Keep this
   * short.
   */
  private static final Map<String, Set<String>> GRANTED_FOR_PATHS_NOT_RUN_HERE =
      Map.of(
          // Publishing an overdue event (a Query of the log, a SendMessage per subscriber) needs an
          // organisation whose midnight passed in the last hour of the real clock;
          // DueDateEventsTest and OverdueBenchmark run that path with a fixed clock.
          "DueDateFunction",
          Set.of("dynamodb:Query", "sqs:SendMessage"),
          // Refreshing an expired access token (the lease, the vault): the same AccessTokens that
          // PanelDocumentsFunction runs here with a token just expired; the settings read after it.
          "SettingsFunction",
          Set.of("dynamodb:DeleteItem", "secretsmanager:PutSecretValue"),
          // A notice for a write read back while a panel is open on its contact: the same
          // PanelPush the sync worker runs here (above) with a socket open; this scenario's writes
          // run with none.
          "WriteWorkerFunction",
          Set.of("execute-api:ManageConnections"));

  private static LocalStack stack;
  private static final Set<String> eventsUsed = new TreeSet<>();
  private static final Map<String, List<Integer>> statuses = new HashMap<>();
  private static int deliveries;
  private static final Map<String, Integer> invocations =
      new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void runEveryFunction() throws Exception {
    stack = LocalStack.start(new LocalStack.Options(0, 0, 0, Duration.ofSeconds(1), 1.0, Map.of()));

    // The connect flow (issue 6) is not under test here: it grants and stores the tokens.
    SimOrganisation org = stack.xero().createOrganisation("Policies Ltd");
    String contact = org.createContact("Road Runner");
    String invoice =
        org.createAuthorisedInvoice(
            contact,
            LocalDate.now().minusDays(2),
            LocalDate.now().plusDays(28),
            new BigDecimal("99.00"));
    stack.connect(org);
    drainSyncQueue();

    // Webhook: the sample events, then a signed delivery for the connected tenant.
    // The sample key replaces the app secret's, as in events/README's sam local invoke.
    Map<String, String> webhookVariables =
        new HashMap<>(stack.environmentVariables("WebhookFunction"));
    webhookVariables.put("XERO_WEBHOOK_KEY", SAMPLE_WEBHOOK_KEY);
    webhookVariables.remove("APP_SECRET_ID");
    Environment sampleKeyed = Environment.of(webhookVariables);
    var sampleWebhook = handler("WebhookFunction", sampleKeyed);
    for (String e :
        List.of(
            "webhook-signed.json",
            "webhook-bad-signature.json",
            "webhook-intent-to-receive.json")) {
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(invokeApi("WebhookFunction", sampleWebhook, apiEvent(e)).getStatusCode());
    }
    // A SaaS tenant owns the organisation and subscribes to its invoices, so the worker publishes
    // the payment's business events to EventQueue (the subscription is gone before they are sent).
    dev.xerosync.testsupport.LocalEvents.own(stack, org.tenantId(), EVENTS_SAAS);
    new dev.xerosync.store.Subscriptions(
            stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"))
        .put(
            new dev.xerosync.store.Subscriptions.Subscription(
                EVENTS_SAAS,
                EVENTS_SUBSCRIPTION,
                List.of("invoice.*"),
                "https://example.com/never-sent",
                java.time.Instant.now()));
    // A panel open on the contact: $connect records its socket, so the worker posts the payment's
    // notice to @connections (410: no browser holds this one; made just now, it is kept as one
    // whose $connect may still be running); $disconnect.
    String socket = panelSocket("$connect", panelToken(org.tenantId(), contact));
    org.pay(invoice, new BigDecimal("40.00"), LocalDate.now(), "part payment");
    assertThat(signedWebhook(org.tenantId(), invoice, contact).getStatusCode()).isEqualTo(200);
    drainSyncQueue();
    assertThat(stack.webSocketApi().calls()).as("the worker's notice").isNotEmpty();
    panelSocket("$disconnect", socket);

    // Worker: the sample batch (a tenant this stack never connected), then an expired token.
    invokeSqs("SyncWorkerFunction", sqsEvent("sync-batch.json"));
    stack.xero().clock().advance(Duration.ofMinutes(45));
    assertThat(signedWebhook(org.tenantId(), invoice, contact).getStatusCode()).isEqualTo(200);
    drainSyncQueue();
    // The token expires again; this time the panel's documents are first to need it.
    stack.xero().clock().advance(Duration.ofMinutes(45));
    panelDocuments(org.tenantId(), invoice);

    // Reconciliation on schedule, and the sweeps it queues (two more connected tenants, so the
    // third sweep is paced through the delay queue); a further tenant's initial sync has not
    // started yet.
    stack.connect(stack.xero().createOrganisation("Swept Second Ltd"));
    stack.connect(stack.xero().createOrganisation("Swept Third Ltd"));
    drainSyncQueue();
    stack.connect(stack.xero().createOrganisation("Just Connected Ltd"));
    ScheduledEvent scheduled = EventLoader.loadScheduledEvent("events/reconcile-scheduled.json");
    eventsUsed.add("reconcile-scheduled.json");
    invocations.merge("ReconcileFunction", 1, Integer::sum);
    RecordedAwsCalls.as(
        "ReconcileFunction", () -> scheduledHandler().handleRequest(scheduled, null));
    drainSyncQueue();

    // Xero failing: the worker fails the message and sets when it comes back (a short backoff,
    // not the queue's visibility timeout); once Xero answers again, it syncs.
    stack.xero().faults().serverErrors(1.0);
    assertThat(signedWebhook(org.tenantId(), invoice, contact).getStatusCode()).isEqualTo(200);
    drainSyncQueue();
    stack.xero().faults().clear();
    Thread.sleep(dev.xerosync.queue.Redelivery.backoff(1).plusSeconds(1).toMillis());
    drainSyncQueue();

    // Xero's daily limit spent: the worker holds the request back on the delay queue and marks the
    // connection.
    stack.xero().faults().force429("day", 1);
    assertThat(signedWebhook(org.tenantId(), invoice, contact).getStatusCode()).isEqualTo(200);
    drainSyncQueue();

    // Delayed sync: one request whose wait is over, one that hops again.
    invokeSqs("DelayedSyncFunction", sqsEvent("delayed-sync-batch.json"));

    // API keys: the admin function issues the sample tenant's key, lists and revokes one.
    var admin = mapHandler("ApiKeyAdminFunction");
    Map<String, Object> created =
        invokeMap("ApiKeyAdminFunction", admin, mapEvent("query-apikey-create.json"));
    String apiKey = (String) created.get("apiKey");
    issuedKeyId = (String) created.get("keyId");
    Map<String, Object> spare =
        invokeMap(
            "ApiKeyAdminFunction",
            admin,
            Map.of("action", "create", "tenantId", SAMPLE_TENANT, "name", "spare"));
    invokeMap(
        "ApiKeyAdminFunction",
        admin,
        Map.of("action", "revoke", "tenantId", SAMPLE_TENANT, "keyId", spare.get("keyId")));
    invokeMap("ApiKeyAdminFunction", admin, Map.of("action", "list", "tenantId", SAMPLE_TENANT));

    // Query: every sample request with that key, against the sample tenant stored as the sync
    // stores it.
    seedSampleTenant();
    var query = handler("QueryFunction", stack.environment("QueryFunction"));
    List<String> queryEvents =
        new ArrayList<>(List.of("query-record-link.json", "query-record-pin.json"));
    try (Stream<Path> list = Files.list(Path.of("..", "events"))) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("query-") && !n.equals("query-apikey-create.json"))
          .filter(n -> !queryEvents.contains(n) && !n.startsWith("query-record-un"))
          .sorted()
          .forEach(queryEvents::add);
    }
    queryEvents.addAll(List.of("query-record-unpin.json", "query-record-unlink.json"));
    for (String e : queryEvents) {
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(invokeApi("QueryFunction", query, withApiKey(apiEvent(e), apiKey)).getStatusCode());
    }

    // The due-date schedule once, on the real clock: it reads its watermark and the index window,
    // after its backfills, one of which lists and totals a credit note stored before its listing
    // (the tenant fence's ConditionCheckItem, the put, the totals' UpdateItem).
    String creditNote = seedCreditNoteStoredBeforeItsListing();
    ScheduledEvent dueDates = EventLoader.loadScheduledEvent("events/reconcile-scheduled.json");
    invocations.merge("DueDateFunction", 1, Integer::sum);
    RecordedAwsCalls.as(
        "DueDateFunction",
        () ->
            ((RequestHandler<ScheduledEvent, String>)
                    handler("DueDateFunction", stack.environment("DueDateFunction")))
                .handleRequest(dueDates, null));
    assertThat(creditItem(creditNote)).containsKey("totalled");

    // Panel: a token and the allowed origins set with the tenant's key, then what a browser calls.
    var panel = handler("PanelFunction", stack.environment("PanelFunction"));
    List<String> panelEvents;
    try (Stream<Path> list = Files.list(Path.of("..", "events"))) {
      panelEvents =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("panel-"))
              .sorted(
                  java.util.Comparator.comparing(
                      n -> List.of("panel-token.json", "panel-origins.json").contains(n) ? 0 : 1))
              .toList();
    }
    for (String e : panelEvents) {
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(invokeApi("PanelFunction", panel, withApiKey(apiEvent(e), apiKey)).getStatusCode());
    }
    var documents = handler("PanelDocumentsFunction", stack.environment("PanelDocumentsFunction"));
    var settings = handler("SettingsFunction", stack.environment("SettingsFunction"));
    statuses
        .computeIfAbsent("settings-accounts.json", k -> new ArrayList<>())
        .add(
            invokeApi(
                    "SettingsFunction",
                    settings,
                    withApiKey(apiEvent("settings-accounts.json"), apiKey))
                .getStatusCode());
    for (String e : List.of("documents-invoice.json", "documents-pdf.json")) {
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(
              invokeApi("PanelDocumentsFunction", documents, withApiKey(apiEvent(e), apiKey))
                  .getStatusCode());
    }

    // Authorizer: the sample events (sample credentials: refused), then the issued key and the
    // deployment's admin key, as API Gateway would call it.
    var authorizer =
        (RequestHandler<
                com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent,
                Object>)
            handler("AuthorizerFunction", stack.environment("AuthorizerFunction"));
    for (String e : List.of("authorizer-tenant-key.json", "authorizer-admin.json")) {
      var event = authorizerEvent(e);
      statuses.computeIfAbsent(e, k -> new ArrayList<>()).add(authorize(authorizer, event));
      if (e.contains("tenant")) {
        event.getHeaders().put("x-api-key", apiKey);
      } else {
        event.getHeaders().put("x-admin-key", stack.adminApiKey());
      }
      statuses.computeIfAbsent(e, k -> new ArrayList<>()).add(authorize(authorizer, event));
    }

    // Write-back: the sample events with the sample tenant's key (never connected, so its queued
    // writes end NEEDS_ATTENTION), then a push and a payment for the connected organisation, whose
    // token has expired so the worker refreshes it, and whose SaaS tenant hears of the outcome.
    var writeApi = handler("WriteApiFunction", stack.environment("WriteApiFunction"));
    for (String e :
        List.of(
            "write-settings.json",
            "write-invoice.json",
            "write-invoice-validate.json",
            "write-history.json",
            "write-payment.json",
            "write-operation.json")) {
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(
              invokeApi("WriteApiFunction", writeApi, withApiKey(apiEvent(e), apiKey))
                  .getStatusCode());
    }
    invokeSqs("WriteWorkerFunction", sqsEvent("write-worker-batch.json"));
    drainWriteQueue();
    // A fresh organisation: the first one's daily limit was spent above on purpose.
    SimOrganisation writer = stack.xero().createOrganisation("Write Back Ltd");
    stack.connect(writer);
    drainSyncQueue();
    writeBack(writer, writer.createContact("Coyote Industries"));

    // Redrive: one dead letter in each dead-letter queue, moved back by the operator function.
    String deadRequest =
        new dev.xerosync.queue.SyncRequest(org.tenantId(), List.of(invoice), List.of(), "redrive")
            .toJson();
    stack
        .aws()
        .sqs()
        .sendMessage(
            r ->
                r.queueUrl(stack.aws().resources().queueUrl("SyncDeadLetterQueue"))
                    .messageBody(deadRequest)
                    .messageGroupId(org.tenantId())
                    .messageDeduplicationId("dead-1"));
    stack
        .aws()
        .sqs()
        .sendMessage(
            r ->
                r.queueUrl(stack.aws().resources().queueUrl("SyncDelayDeadLetterQueue"))
                    .messageBody(deadRequest));
    var redrive = mapHandler("RedriveFunction");
    for (String e : List.of("redrive-sync.json", "redrive-delay.json")) {
      Map<String, Object> answer = invokeMap("RedriveFunction", redrive, mapEvent(e));
      statuses
          .computeIfAbsent(e, k -> new ArrayList<>())
          .add(((Number) answer.get("redriven")).intValue());
    }
    drainSyncQueue();

    // Connection lifecycle: the sample events, then the hosted connect flow as a browser drives it.
    connectionLifecycle();

    // SnapStart priming (run before the snapshot in AWS) makes calls too; they must be allowed as
    // well.
    for (var fn : SamTemplate.load().functions()) {
      Object h = handler(fn.id(), stack.environment(fn.id()));
      java.lang.reflect.Method prime = h.getClass().getMethod("prime");
      RecordedAwsCalls.as(
          fn.id(),
          () -> {
            try {
              return prime.invoke(h);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(fn.id() + " prime()", e);
            }
          });
    }
    // API Gateway's management API is called over signed HTTP, not through an SDK client: its
    // stand-in saw each call, signed with the calling function's own credentials.
    for (var call : stack.webSocketApi().calls()) {
      for (var fn : SamTemplate.load().functions()) {
        if (call.accessKeyId()
            .equals(stack.environmentVariables(fn.id()).get("AWS_ACCESS_KEY_ID"))) {
          RecordedAwsCalls.add(fn.id(), new RecordedAwsCalls.Call(call.action(), call.arn()));
        }
      }
    }
    for (var call : stack.aws().apiGateway().calls()) {
      for (var fn : SamTemplate.load().functions()) {
        if (call.accessKeyId()
            .equals(stack.environmentVariables(fn.id()).get("AWS_ACCESS_KEY_ID"))) {
          RecordedAwsCalls.add(fn.id(), new RecordedAwsCalls.Call(call.action(), call.arn()));
        }
      }
    }
  }

  /**
   * Every connect function through its sample events and the real flow (as
   * ConnectionLifecycleEnd2EndTest runs it, with the functions invoked here so their calls are
   * attributed): an admin sets the notification URL and connects one organisation; a second consent
   * grants two and the user picks one; the status; the daily refresh of tokens 40 days old, one of
   * them revoked in Xero; notifications delivered; a disconnect with purge.
   */
  // The SaaS tenant writeBack links its organisation to, so the write worker's events fan out too.
  private static final String EVENTS_SAAS = "policies-saas";

  private static final String EVENTS_SUBSCRIPTION = "sub_000000000000000000000001";

  private static void connectionLifecycle() throws Exception {
    new dev.xerosync.store.Subscriptions(
            stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"))
        .delete(EVENTS_SAAS, EVENTS_SUBSCRIPTION);
    var connect = handler("ConnectFunction", stack.environment("ConnectFunction"));
    var callback = handler("ConnectCallbackFunction", stack.environment("ConnectCallbackFunction"));
    var status = handler("ConnectionStatusFunction", stack.environment("ConnectionStatusFunction"));
    var disconnect = handler("DisconnectFunction", stack.environment("DisconnectFunction"));
    var subscriptions = handler("SubscriptionFunction", stack.environment("SubscriptionFunction"));
    for (String[] e :
        new String[][] {
          {"connect-start.json", "ConnectFunction"},
          {"connect-start-unauthenticated.json", "ConnectFunction"},
          {"connect-notification-url.json", "ConnectFunction"},
          {"connect-callback-tampered-state.json", "ConnectCallbackFunction"},
          {"connect-callback-denied.json", "ConnectCallbackFunction"},
          {"connect-select.json", "ConnectCallbackFunction"},
          {"connect-status.json", "ConnectionStatusFunction"},
          {"connect-disconnect.json", "DisconnectFunction"},
          {"subscription-create.json", "SubscriptionFunction"},
          {"subscription-list.json", "SubscriptionFunction"},
          {"subscription-delete.json", "SubscriptionFunction"}
        }) {
      Object h =
          Map.of(
                  "ConnectFunction",
                  connect,
                  "ConnectCallbackFunction",
                  callback,
                  "ConnectionStatusFunction",
                  status,
                  "DisconnectFunction",
                  disconnect,
                  "SubscriptionFunction",
                  subscriptions)
              .get(e[1]);
      statuses
          .computeIfAbsent(e[0], k -> new ArrayList<>())
          .add(invokeApi(e[1], h, apiEvent(e[0])).getStatusCode());
    }

    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger received =
        new java.util.concurrent.atomic.AtomicInteger();
    // The first delivery is refused, so the delivery function sets when it comes back.
    java.util.concurrent.atomic.AtomicInteger refuse =
        new java.util.concurrent.atomic.AtomicInteger(1);
    receiver.createContext(
        "/",
        x -> {
          x.getRequestBody().readAllBytes();
          if (refuse.getAndDecrement() > 0) {
            x.sendResponseHeaders(500, -1);
          } else {
            received.incrementAndGet();
            x.sendResponseHeaders(204, -1);
          }
          x.close();
        });
    receiver.start();
    try {
      String saas = "policies";
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notifications";
      assertThat(
              invokeApi(
                      "ConnectFunction",
                      connect,
                      connectRequest(
                          "PUT",
                          "/saas-tenants/{saasTenantId}/notification-url",
                          Map.of("saasTenantId", saas),
                          null,
                          Map.of("Content-Type", "application/json"),
                          "{\"url\":\"" + url + "\"}"))
                  .getStatusCode())
          .isEqualTo(200);
      // Subscriptions with the deployment's admin key: one for the connection types, one deleted.
      for (String types : List.of("[\"connection.*\"]", "[\"invoice.paid\"]")) {
        var created =
            invokeApi(
                "SubscriptionFunction",
                subscriptions,
                connectRequest(
                    "POST",
                    "/saas-tenants/{saasTenantId}/subscriptions",
                    Map.of("saasTenantId", saas),
                    null,
                    Map.of("Content-Type", "application/json"),
                    "{\"url\":\"" + url + "\",\"types\":" + types + "}"));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        if (types.contains("invoice")) {
          String id =
              dev.xerosync.common.Json.MAPPER.readTree(created.getBody()).path("id").asText();
          assertThat(
                  invokeApi(
                          "SubscriptionFunction",
                          subscriptions,
                          connectRequest(
                              "DELETE",
                              "/saas-tenants/{saasTenantId}/subscriptions/{subscriptionId}",
                              Map.of("saasTenantId", saas, "subscriptionId", id),
                              null,
                              Map.of(),
                              null))
                      .getStatusCode())
              .isEqualTo(204);
        }
      }
      assertThat(
              invokeApi(
                      "SubscriptionFunction",
                      subscriptions,
                      connectRequest(
                          "GET",
                          "/saas-tenants/{saasTenantId}/subscriptions",
                          Map.of("saasTenantId", saas),
                          null,
                          Map.of(),
                          null))
                  .getBody())
          .contains("connection.*")
          .doesNotContain("invoice.paid");

      // One organisation granted: connected at once.
      SimOrganisation solo = stack.xero().createOrganisation("Connected Books Ltd");
      String soloContact = solo.createContact("Wile E. Coyote");
      solo.createAuthorisedInvoice(
          soloContact,
          LocalDate.now().minusDays(3),
          LocalDate.now().plusDays(27),
          new BigDecimal("12.50"));
      var connected =
          invokeApi(
              "ConnectCallbackFunction",
              callback,
              callbackRequest(
                  consent(startConnect(connect, saas), solo.tenantId(), "ada@policies.test")));
      assertThat(connected.getStatusCode()).as(connected.getBody()).isEqualTo(201);

      // Two granted: the tokens wait in the flow's secret until the user picks one.
      SimOrganisation notPicked = stack.xero().createOrganisation("Not Picked Ltd");
      SimOrganisation picked = stack.xero().createOrganisation("Picked Ltd");
      var offered =
          invokeApi(
              "ConnectCallbackFunction",
              callback,
              callbackRequest(
                  consent(
                      startConnect(connect, saas),
                      notPicked.tenantId() + "," + picked.tenantId(),
                      "bob@policies.test")));
      assertThat(offered.getStatusCode()).as(offered.getBody()).isEqualTo(200);
      String choice =
          dev.xerosync.common.Json.MAPPER.readTree(offered.getBody()).path("choice").asText();
      var chosen =
          invokeApi(
              "ConnectCallbackFunction",
              callback,
              connectRequest(
                  "POST",
                  "/connect/select",
                  Map.of(),
                  null,
                  Map.of("Content-Type", "application/x-www-form-urlencoded"),
                  "choice="
                      + java.net.URLEncoder.encode(choice, StandardCharsets.UTF_8)
                      + "&tenantId="
                      + picked.tenantId()));
      assertThat(chosen.getStatusCode()).as(chosen.getBody()).isEqualTo(201);
      drainSyncQueue();
      drainNotificationQueue();

      assertThat(
              invokeApi(
                      "ConnectionStatusFunction",
                      status,
                      connectRequest(
                          "GET",
                          "/saas-tenants/{saasTenantId}/connections",
                          Map.of("saasTenantId", saas),
                          null,
                          Map.of(),
                          null))
                  .getStatusCode())
          .isEqualTo(200);
      var one =
          invokeApi(
              "ConnectionStatusFunction",
              status,
              connectRequest(
                  "GET",
                  "/saas-tenants/{saasTenantId}/connections/{tenantId}",
                  Map.of("saasTenantId", saas, "tenantId", solo.tenantId()),
                  null,
                  Map.of(),
                  null));
      assertThat(one.getStatusCode()).isEqualTo(200);
      assertThat(one.getBody()).contains("CONNECTED");

      // Both connections idle for 40 days; the picked one's consent (another user's) was revoked in
      // Xero meanwhile.
      var vault = stack.vault();
      for (String tenant : List.of(solo.tenantId(), picked.tenantId())) {
        var t = vault.read(tenant).orElseThrow();
        vault.write(
            tenant,
            new dev.xerosync.tokens.ConnectionTokens(
                t.accessToken(),
                t.refreshToken(),
                t.accessTokenExpiresAt(),
                java.time.Instant.now().minus(Duration.ofDays(40))));
      }
      revokeInXero(vault.read(picked.tenantId()).orElseThrow().refreshToken());
      ScheduledEvent tick =
          EventLoader.loadScheduledEvent("events/connect-token-refresh-schedule.json");
      eventsUsed.add("connect-token-refresh-schedule.json");
      invocations.merge("TokenRefreshFunction", 1, Integer::sum);
      @SuppressWarnings("unchecked")
      Map<String, Integer> refreshed =
          RecordedAwsCalls.as(
              "TokenRefreshFunction",
              () ->
                  ((RequestHandler<ScheduledEvent, Map<String, Integer>>)
                          handler(
                              "TokenRefreshFunction", stack.environment("TokenRefreshFunction")))
                      .handleRequest(tick, null));
      assertThat(refreshed)
          .as("refresh summary")
          .containsEntry("refreshed", 1)
          .containsEntry("needsReconnect", 1);
      drainNotificationQueue();

      // Disconnected a while after its last sync: the access token has expired, so it is refreshed
      // first.
      var current = vault.read(solo.tenantId()).orElseThrow();
      vault.write(
          solo.tenantId(),
          new dev.xerosync.tokens.ConnectionTokens(
              current.accessToken(),
              current.refreshToken(),
              java.time.Instant.now().minus(Duration.ofMinutes(5)),
              current.refreshedAt()));
      // A key for it first, so that the purge has the tenant's usage-plan key to delete.
      stack.issueApiKey(solo.tenantId(), "purged-with-it");
      var gone =
          invokeApi(
              "DisconnectFunction",
              disconnect,
              connectRequest(
                  "DELETE",
                  "/saas-tenants/{saasTenantId}/connections/{tenantId}",
                  Map.of("saasTenantId", saas, "tenantId", solo.tenantId()),
                  Map.of("purge", "true"),
                  Map.of(),
                  null));
      assertThat(gone.getStatusCode()).as(gone.getBody()).isEqualTo(200);
      drainNotificationQueue();
      SQSBatchResponse batch =
          invokeSqs("NotificationFunction", sqsEvent("connect-notification-batch.json"));
      statuses
          .computeIfAbsent("connect-notification-batch.json", k -> new ArrayList<>())
          .add(batch.getBatchItemFailures().size());
      statuses
          .computeIfAbsent("event-delivery-batch.json", k -> new ArrayList<>())
          .add(
              invokeSqs("EventDeliveryFunction", sqsEvent("event-delivery-batch.json"))
                  .getBatchItemFailures()
                  .size());
      drainEventQueue();
      // Each notification twice: to the notification URL and to the connection.* subscription.
      assertThat(received.get())
          .as("notifications delivered to the SaaS tenant's URL and subscription")
          .isGreaterThanOrEqualTo(6);
    } finally {
      receiver.stop(0);
    }
  }

  private static final java.net.http.HttpClient BROWSER =
      java.net.http.HttpClient.newBuilder()
          .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
          .build();

  /**
   * A request as API Gateway passes it, reaching the local API's host and stage, from this stack's
   * admin.
   */
  private static APIGatewayProxyRequestEvent connectRequest(
      String method,
      String resource,
      Map<String, String> pathParameters,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {
    java.net.URI api = stack.apiUrl();
    String path = resource;
    for (var p : pathParameters.entrySet()) {
      path = path.replace("{" + p.getKey() + "}", p.getValue());
    }
    Map<String, String> all = new HashMap<>(headers);
    all.put("Host", api.getAuthority());
    all.put("Accept", "application/json");
    all.putIfAbsent("x-admin-key", stack.adminApiKey());
    var context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withStage(api.getPath().replace("/", ""))
            // As API Gateway sets it: the connect flow builds its redirect URI from it.
            .withDomainName(api.getHost() + ":" + api.getPort());
    return new APIGatewayProxyRequestEvent()
        .withHttpMethod(method)
        .withResource(resource)
        .withPath(path)
        .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
        .withQueryStringParameters(query)
        .withHeaders(all)
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(context);
  }

  private static String startConnect(Object connect, String saas) {
    var started =
        invokeApi(
            "ConnectFunction",
            connect,
            connectRequest(
                "GET",
                "/saas-tenants/{saasTenantId}/connect",
                Map.of("saasTenantId", saas),
                null,
                Map.of(),
                null));
    assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(200);
    try {
      return dev.xerosync.common.Json.MAPPER
          .readTree(started.getBody())
          .path("authorizeUrl")
          .asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The user's consent on the simulator's page; returns the query Xero's redirect to our callback
   * carries.
   */
  private static Map<String, String> consent(String authorizeUrl, String tenants, String user)
      throws Exception {
    var r =
        BROWSER.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        authorizeUrl
                            + "&sim_consent="
                            + tenants
                            + "&sim_user="
                            + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    Map<String, String> query = new HashMap<>();
    for (String pair : java.net.URI.create(location).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      query.put(
          java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  private static APIGatewayProxyRequestEvent callbackRequest(Map<String, String> query) {
    return connectRequest("GET", "/connect/callback", Map.of(), query, Map.of(), null);
  }

  /** What an admin's "disconnect" in Xero does to a consent: its refresh token stops working. */
  private static void revokeInXero(String refreshToken) throws Exception {
    String clientSecret =
        dev.xerosync.common.AppSecrets.field(
            stack.environment("SyncWorkerFunction"), "clientSecret", "XERO_CLIENT_SECRET");
    var r =
        BROWSER.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.xero().baseUrl() + "/connect/revocation"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (dev.xerosync.infra.lambda.LocalStack.CLIENT_ID
                                        + ":"
                                        + clientSecret)
                                    .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "token="
                            + java.net.URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /**
   * Feeds the event queue to EventDeliveryFunction, as its SQS event source would, until it is
   * empty: a refused delivery comes back after its backoff's first wait (5 s).
   */
  private static void drainEventQueue() {
    drain("EventQueue", "EventDeliveryFunction", 8, 1, Duration.ofSeconds(30));
  }

  /**
   * Feeds {@code queue} to {@code function}, as its SQS event source would, deleting each message
   * the function did not report failed, until {@code quietPolls} polls in a row (each waiting up to
   * {@code waitSeconds}) find nothing, or {@code within} has passed.
   */
  private static void drain(
      String queue, String function, int quietPolls, int waitSeconds, Duration within) {
    String url = stack.aws().resources().queueUrl(queue);
    long deadline = System.nanoTime() + within.toNanos();
    int empty = 0;
    while (System.nanoTime() < deadline && empty < quietPolls) {
      List<Message> messages =
          stack
              .aws()
              .sqs()
              .receiveMessage(
                  r ->
                      r.queueUrl(url)
                          .maxNumberOfMessages(10)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .waitTimeSeconds(waitSeconds))
              .messages();
      if (messages.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      SQSBatchResponse response = invokeSqs(function, toEvent(messages));
      Set<String> failed = new LinkedHashSet<>();
      response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
      for (Message m : messages) {
        if (!failed.contains(m.messageId())) {
          stack.aws().sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  /**
   * Feeds the notification queue to NotificationFunction, as its SQS event source would, until it
   * is empty.
   */
  private static void drainNotificationQueue() {
    String url = stack.aws().resources().queueUrl("NotificationQueue");
    for (int round = 0; round < 20; round++) {
      List<Message> messages =
          stack
              .aws()
              .sqs()
              .receiveMessage(
                  r ->
                      r.queueUrl(url)
                          .maxNumberOfMessages(10)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .waitTimeSeconds(0))
              .messages();
      if (messages.isEmpty()) {
        return;
      }
      SQSBatchResponse response = invokeSqs("NotificationFunction", toEvent(messages));
      assertThat(response.getBatchItemFailures()).as("notifications delivered").isEmpty();
      messages.forEach(
          m ->
              stack
                  .aws()
                  .sqs()
                  .deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
    }
  }

  /**
   * The scenario's AWS calls per function, the request counts docs/deploy.md's cost estimate starts
   * from.
   */
  @AfterAll
  static void printCallCounts() {
    for (var fn : SamTemplate.load().functions()) {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      RecordedAwsCalls.of(fn.id()).forEach(c -> counts.merge(c.action(), 1, Integer::sum));
      System.out.println(
          "aws-calls-"
              + fn.id()
              + ": invocations "
              + invocations.getOrDefault(fn.id(), 0)
              + ", "
              + counts);
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyCallAFunctionMakesIsAllowedByItsPolicy() {
    List<String> denied = new ArrayList<>();
    for (var fn : SamTemplate.load().functions()) {
      List<IamPolicy.Statement> grants = grants(fn);
      for (var call : RecordedAwsCalls.of(fn.id())) {
        String arn = arnOf(call.resource());
        if (grants.stream().noneMatch(g -> g.covers(call.action(), arn))) {
          denied.add(fn.id() + ": " + call.action() + " on " + arn);
        }
      }
    }
    assertThat(new TreeSet<>(denied)).as("calls the template's policies do not allow").isEmpty();
  }

  @Test
  void everyActionAPolicyGrantsIsOneTheFunctionCalls() {
    List<String> unused = new ArrayList<>();
    for (var fn : SamTemplate.load().functions()) {
      Set<String> called = new TreeSet<>();
      RecordedAwsCalls.of(fn.id()).forEach(c -> called.add(c.action() + " " + arnOf(c.resource())));
      for (IamPolicy.Statement g : grants(fn)) {
        for (String action : g.actions()) {
          for (String resource : g.resources()) {
            var one = new IamPolicy.Statement(true, List.of(action), List.of(resource));
            boolean used =
                RecordedAwsCalls.of(fn.id()).stream()
                    .anyMatch(c -> one.covers(c.action(), arnOf(c.resource())));
            boolean excused =
                GRANTED_FOR_PATHS_NOT_RUN_HERE.getOrDefault(fn.id(), Set.of()).contains(action);
            if (!used && !excused) {
              unused.add(fn.id() + ": " + action + " on " + resource + " (calls: " + called + ")");
            }
          }
        }
      }
    }
    assertThat(unused).as("grants no recorded call needed").isEmpty();
  }

  @Test
  void everyFunctionWasRunAndMadeTheCallsItExists() {
    for (var fn : SamTemplate.load().functions()) {
      assertThat(RecordedAwsCalls.of(fn.id()))
          .as(fn.id() + " made AWS calls in the scenario")
          .isNotEmpty();
    }
  }

  @Test
  void everySampleEventIsUsedAndAnsweredAsItsReadmeSays() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(Path.of("..", "events"))) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .forEach(files::add);
    }
    assertThat(eventsUsed).containsExactlyInAnyOrderElementsOf(files);
    assertThat(statuses.get("webhook-signed.json")).containsExactly(200);
    assertThat(statuses.get("webhook-bad-signature.json")).containsExactly(401);
    assertThat(statuses.get("webhook-intent-to-receive.json")).containsExactly(200);
    System.out.println("sample-event-statuses: " + new java.util.TreeMap<>(statuses));
    assertThat(statuses.get("query-contact-invoices.json")).containsExactly(200);
    assertThat(statuses.get("query-invoice.json")).containsExactly(200);
    assertThat(statuses.get("query-bad-limit.json")).containsExactly(400);
    assertThat(statuses.get("panel-token.json")).containsExactly(201);
    assertThat(statuses.get("panel-origins.json")).containsExactly(200);
    assertThat(statuses.get("panel-preflight.json")).containsExactly(204);
    assertThat(statuses.get("panel-module.json")).containsExactly(200);
    assertThat(statuses.get("panel-page.json")).containsExactly(200);
    assertThat(statuses.get("panel-status.json")).containsExactly(200);
    assertThat(statuses.get("documents-invoice.json"))
        .as("sample tenant: never connected")
        .containsExactly(503);
    assertThat(statuses.get("documents-pdf.json")).as("sample signature").containsExactly(403);
    assertThat(statuses.get("settings-accounts.json"))
        .as("sample tenant: never connected, so Xero cannot be asked")
        .containsExactly(409);
    assertThat(statuses.get("authorizer-tenant-key.json")).containsExactly(401, 200);
    assertThat(statuses.get("authorizer-admin.json")).containsExactly(401, 200);
    assertThat(statuses.get("redrive-sync.json")).containsExactly(1);
    assertThat(statuses.get("redrive-delay.json")).containsExactly(1);
    // The connect events carry a sample admin key: this stack answers 401 "does not match", as
    // events/README says.
    for (String e :
        List.of(
            "connect-start.json",
            "connect-start-unauthenticated.json",
            "connect-notification-url.json",
            "connect-status.json",
            "connect-disconnect.json")) {
      assertThat(statuses.get(e)).as(e).containsExactly(401);
    }
    assertThat(statuses.get("connect-callback-tampered-state.json")).containsExactly(400);
    assertThat(statuses.get("connect-callback-denied.json")).containsExactly(400);
    assertThat(statuses.get("connect-select.json")).containsExactly(400);
    assertThat(statuses.get("write-settings.json")).containsExactly(202);
    assertThat(statuses.get("write-invoice.json")).containsExactly(202);
    assertThat(statuses.get("write-invoice-validate.json")).containsExactly(200);
    assertThat(statuses.get("write-history.json")).containsExactly(202);
    assertThat(statuses.get("write-payment.json")).containsExactly(202);
    assertThat(statuses.get("write-operation.json")).containsExactly(404);
    assertThat(statuses.get("connect-notification-batch.json"))
        .as("batch item failures")
        .containsExactly(0);
    for (String e :
        List.of("subscription-create.json", "subscription-list.json", "subscription-delete.json")) {
      assertThat(statuses.get(e)).as(e).containsExactly(401);
    }
    assertThat(statuses.get("event-delivery-batch.json"))
        .as("batch item failures: the sample subscription does not exist, nothing to retry")
        .containsExactly(0);
  }

  // --- The functions' own Allow statements, matched by IAM's rules ({@link IamPolicy})
  // ------

  /** The function's own statements, read as the local stack reads them ({@link FunctionRoles}). */
  private static List<IamPolicy.Statement> grants(SamTemplate.Function fn) {
    LocalIntrinsics intrinsics = localIntrinsics();
    List<IamPolicy.Statement> grants = new ArrayList<>();
    for (JsonNode policy : fn.property("Policies")) {
      for (IamPolicy.Statement s : FunctionRoles.policy(fn.id(), policy, intrinsics).statements()) {
        assertThat(s.allow()).as(fn.id() + ": a Deny statement").isTrue();
        grants.add(s);
      }
    }
    return grants;
  }

  private static LocalIntrinsics localIntrinsics() {
    Map<String, String> refs = new HashMap<>();
    Map<String, Map<String, String>> attributes = new HashMap<>();
    SamTemplate.load()
        .tree()
        .path("Resources")
        .properties()
        .forEach(
            r -> {
              String id = r.getKey();
              switch (r.getValue().path("Type").asText()) {
                case "AWS::DynamoDB::Table" -> {
                  refs.put(id, stack.aws().resources().tableName(id));
                  attributes.put(
                      id, Map.of("Arn", tableArn(stack.aws().resources().tableName(id))));
                }
                case "AWS::SQS::Queue" ->
                    attributes.put(
                        id, Map.of("Arn", queueArn(stack.aws().resources().queueUrl(id))));
                // !Ref of a secret is its ARN, as the recorder's secret names become ARNs.
                case "AWS::SecretsManager::Secret" ->
                    refs.put(
                        id,
                        arnOf(
                            new LocalIntrinsics(Map.of(), Map.of(), Map.of())
                                .resolve(r.getValue().path("Properties").path("Name"))));
                case "AWS::ApiGateway::UsagePlan" ->
                    refs.put(id, dev.xerosync.infra.aws.ApiGatewayStandIn.planId(id));
                case "AWS::ApiGatewayV2::Api" -> refs.put(id, stack.webSocketApi().apiId());
                case "AWS::ApiGatewayV2::Stage" -> refs.put(id, stack.webSocketApi().stage());
                default -> {}
              }
            });
    return new LocalIntrinsics(Map.of(), refs, attributes);
  }

  private static String arnOf(String resource) {
    if (resource.startsWith("arn:")) {
      return resource;
    }
    if (resource.startsWith("table/")) {
      return tableArn(resource.substring("table/".length()));
    }
    if (resource.startsWith("http")) {
      return queueArn(resource);
    }
    // A secret's ARN ends in its name and six random characters.
    return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + resource + "-AbC123";
  }

  private static String tableArn(String tableAndIndex) {
    return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + tableAndIndex;
  }

  private static String queueArn(String queueUrl) {
    return "arn:aws:sqs:"
        + REGION
        + ":"
        + ACCOUNT
        + ":"
        + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }

  // --- Invoking functions as Lambda would, with the template's environment
  // ---------------------------

  /**
   * Builds a handler as Lambda's init phase would; what its constructor calls (the app secrets) is
   * the function's too.
   */
  /** A panel token for a record linked to {@code contactId}, minted as a SaaS backend would. */
  private static String panelToken(String tenantId, String contactId) throws Exception {
    String key = stack.issueApiKey(tenantId, "panel-socket").secret();
    String base = stack.apiUrl() + "/tenants/" + tenantId;
    for (String[] call :
        List.of(
            new String[] {
              "/records/contact/crm-policies/links", "{\"contactId\":\"" + contactId + "\"}"
            },
            new String[] {
              "/panel-tokens", "{\"recordType\":\"contact\",\"recordId\":\"crm-policies\"}"
            })) {
      var r =
          BROWSER.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + call[0]))
                  .header("x-api-key", key)
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(call[1]))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(call[0] + ": " + r.body()).isLessThan(300);
      if (call[0].equals("/panel-tokens")) {
        return new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(r.body())
            .path("token")
            .asText();
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** PanelSocketFunction's route for a connection: $connect with the token, or $disconnect. */
  @SuppressWarnings("unchecked")
  private static String panelSocket(String route, String tokenOrConnection) {
    var h =
        (RequestHandler<
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent,
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse>)
            handler("PanelSocketFunction", stack.environment("PanelSocketFunction"));
    boolean connect = route.equals("$connect");
    String connection = connect ? "policiesConnection=" : tokenOrConnection;
    var context =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent
            .RequestContext();
    context.setRouteKey(route);
    context.setConnectionId(connection);
    var event = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent();
    event.setRequestContext(context);
    if (connect) {
      event.setQueryStringParameters(Map.of("token", tokenOrConnection));
    }
    invocations.merge("PanelSocketFunction", 1, Integer::sum);
    assertThat(
            RecordedAwsCalls.as("PanelSocketFunction", () -> h.handleRequest(event, null))
                .getStatusCode())
        .as(route)
        .isEqualTo(200);
    return connection;
  }

  private static Object handler(String logicalId, Environment env) {
    return RecordedAwsCalls.as(
        logicalId,
        () -> {
          try {
            return Class.forName(SamTemplate.load().function(logicalId).handlerClass())
                .getConstructor(Environment.class)
                .newInstance(env);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @SuppressWarnings("unchecked")
  private static APIGatewayProxyResponseEvent invokeApi(
      String logicalId, Object handler, APIGatewayProxyRequestEvent event) {
    invocations.merge(logicalId, 1, Integer::sum);
    return RecordedAwsCalls.as(
        logicalId,
        () ->
            ((RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler)
                .handleRequest(event, null));
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<ScheduledEvent, ?> scheduledHandler() {
    return (RequestHandler<ScheduledEvent, ?>)
        handler("ReconcileFunction", stack.environment("ReconcileFunction"));
  }

  @SuppressWarnings("unchecked")
  private static SQSBatchResponse invokeSqs(String logicalId, SQSEvent event) {
    var h =
        (RequestHandler<SQSEvent, SQSBatchResponse>)
            handler(logicalId, stack.environment(logicalId));
    invocations.merge(logicalId, 1, Integer::sum);
    return RecordedAwsCalls.as(logicalId, () -> h.handleRequest(event, null));
  }

  /**
   * A credit note of the sample customer as stored before credit notes were listed: no index keys,
   * no totalled mark, nothing in the contact's totals. Returns its id.
   */
  private static String seedCreditNoteStoredBeforeItsListing() {
    var dynamo = stack.aws().dynamoDb();
    String table = stack.aws().resources().tableName("Table");
    String id = "0b7c4a5e-3f4e-4c55-9d1a-6c1f0a2b3c4d";
    new dev.xerosync.store.CreditStore(dynamo, table)
        .upsert(
            SAMPLE_TENANT,
            new dev.xerosync.xero.XeroCredit(
                dev.xerosync.xero.XeroAllocation.Kind.CREDIT_NOTE,
                id,
                "CN-0001",
                null,
                "ACCRECCREDIT",
                "AUTHORISED",
                SAMPLE_CONTACT,
                "Barney Rubble",
                LocalDate.now().minusDays(3),
                "NZD",
                new BigDecimal("25"),
                new BigDecimal("25"),
                java.time.Instant.now(),
                List.of()));
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(creditKey(id))
                .updateExpression(
                    "REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, totalled"));
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(
                    dev.xerosync.store.Keys.key(
                        dev.xerosync.store.Keys.contactPk(SAMPLE_TENANT, SAMPLE_CONTACT),
                        dev.xerosync.store.Keys.totalsSk("ACCREC", "NZD")))
                .updateExpression(
                    "REMOVE creditCount, creditAmount, creditUsedCount, creditUsedAmount"));
    return id;
  }

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>
      creditKey(String id) {
    return dev.xerosync.store.Keys.key(
        dev.xerosync.store.Keys.creditPk(SAMPLE_TENANT, id), dev.xerosync.store.Keys.CREDIT_SK);
  }

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>
      creditItem(String id) {
    return stack
        .aws()
        .dynamoDb()
        .getItem(
            g ->
                g.tableName(stack.aws().resources().tableName("Table"))
                    .consistentRead(true)
                    .key(creditKey(id)))
        .item();
  }

  /**
   * Writes the sample tenant as the sync would: organisation, a customer, and two of its invoices.
   */
  private static void seedSampleTenant() {
    var dynamo = stack.aws().dynamoDb();
    String table = stack.aws().resources().tableName("Table");
    new dev.xerosync.store.Connections(dynamo, table)
        .putOrganisation(
            SAMPLE_TENANT,
            new dev.xerosync.xero.XeroOrganisation(
                "Sample Ltd",
                "!Abc12",
                "NEWZEALANDSTANDARDTIME",
                java.time.ZoneId.of("Pacific/Auckland"),
                "NZD"));
    new dev.xerosync.store.ContactStore(dynamo, table)
        .upsert(
            SAMPLE_TENANT,
            new dev.xerosync.xero.XeroContact(
                SAMPLE_CONTACT,
                "Barney Rubble",
                "ACTIVE",
                true,
                false,
                null,
                java.time.Instant.now()));
    var invoices = new dev.xerosync.store.InvoiceStore(dynamo, table, java.time.Clock.systemUTC());
    LocalDate today = LocalDate.now();
    invoices.upsert(
        SAMPLE_TENANT,
        new dev.xerosync.xero.XeroInvoice(
            SAMPLE_INVOICE,
            "INV-0001",
            "Red Fish",
            "ACCREC",
            "AUTHORISED",
            SAMPLE_CONTACT,
            "Barney Rubble",
            today.minusDays(40),
            today.minusDays(10),
            "NZD",
            new BigDecimal("100"),
            BigDecimal.ZERO,
            new BigDecimal("100"),
            new BigDecimal("60"),
            new BigDecimal("40"),
            BigDecimal.ZERO,
            null,
            java.time.Instant.now(),
            List.of(
                new dev.xerosync.xero.XeroPayment(
                    "99ea7f6b-c513-4066-bc27-b7c65dcd76c2",
                    today.minusDays(5),
                    new BigDecimal("40"),
                    "part")),
            List.of()));
    invoices.upsert(
        SAMPLE_TENANT,
        new dev.xerosync.xero.XeroInvoice(
            "7ef31b20-de17-4312-8382-412f869b1510",
            "INV-0003",
            "",
            "ACCREC",
            "AUTHORISED",
            SAMPLE_CONTACT,
            "Barney Rubble",
            today.minusDays(2),
            today.plusDays(28),
            "NZD",
            new BigDecimal("115"),
            BigDecimal.ZERO,
            new BigDecimal("115"),
            new BigDecimal("115"),
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            null,
            java.time.Instant.now(),
            List.of(),
            List.of()));
  }

  /**
   * The key issued at run time, whose id the authorizer's context names (panel tokens bind to it).
   */
  private static String issuedKeyId;

  /**
   * The sample events carry a placeholder key; a real one is issued at run time, and the authorizer
   * would name its id in the context it passes on.
   */
  private static APIGatewayProxyRequestEvent withApiKey(
      APIGatewayProxyRequestEvent event, String apiKey) {
    if (issuedKeyId != null
        && event.getRequestContext() != null
        && event.getRequestContext().getAuthorizer() != null
        && event.getRequestContext().getAuthorizer().containsKey("keyId")) {
      Map<String, Object> context = new HashMap<>(event.getRequestContext().getAuthorizer());
      context.put("keyId", issuedKeyId);
      context.put("principalId", "key:" + issuedKeyId);
      event.getRequestContext().setAuthorizer(context);
    }
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put("x-api-key", apiKey);
    event.setHeaders(headers);
    if (event.getMultiValueHeaders() != null) {
      Map<String, List<String>> multi = new HashMap<>(event.getMultiValueHeaders());
      multi.put("x-api-key", List.of(apiKey));
      event.setMultiValueHeaders(multi);
    }
    return event;
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<Map<String, Object>, Map<String, Object>> mapHandler(
      String logicalId) {
    return (RequestHandler<Map<String, Object>, Map<String, Object>>)
        handler(logicalId, stack.environment(logicalId));
  }

  private static Map<String, Object> invokeMap(
      String logicalId,
      RequestHandler<Map<String, Object>, Map<String, Object>> h,
      Map<String, Object> event) {
    invocations.merge(logicalId, 1, Integer::sum);
    return RecordedAwsCalls.as(logicalId, () -> h.handleRequest(event, null));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapEvent(String name) {
    eventsUsed.add(name);
    try {
      return dev.xerosync.common.Json.MAPPER.readValue(
          Files.readString(Path.of("..", "events", name)), Map.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent
      authorizerEvent(String name) {
    eventsUsed.add(name);
    try {
      var event =
          dev.xerosync.common.Json.MAPPER.readValue(
              Files.readString(Path.of("..", "events", name)),
              com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent.class);
      event.setHeaders(new HashMap<>(event.getHeaders()));
      return event;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** 200 for an allow, 403 for a deny, 401 for "Unauthorized": what API Gateway would answer. */
  private static int authorize(
      RequestHandler<
              com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent, Object>
          h,
      com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent event) {
    invocations.merge("AuthorizerFunction", 1, Integer::sum);
    try {
      var policy =
          (com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1)
              RecordedAwsCalls.as("AuthorizerFunction", () -> h.handleRequest(event, null));
      var statement =
          dev.xerosync.common.Json.MAPPER
              .valueToTree(policy)
              .path("policyDocument")
              .path("Statement")
              .path(0);
      return "Allow".equals(statement.path("Effect").asText()) ? 200 : 403;
    } catch (RuntimeException e) {
      if ("Unauthorized".equals(e.getMessage())) {
        return 401;
      }
      throw e;
    }
  }

  /**
   * The connected tenant's invoice documents while its access token has just expired, so the
   * function refreshes it (vault and lease): the online invoice link, fetched from Xero and kept,
   * then the PDF through the signed link.
   */
  private static void panelDocuments(String tenantId, String invoiceId) throws Exception {
    var documents = handler("PanelDocumentsFunction", stack.environment("PanelDocumentsFunction"));
    APIGatewayProxyRequestEvent links =
        EventLoader.loadApiGatewayRestEvent("events/documents-invoice.json");
    links.setPath(
        links.getPath().replace(SAMPLE_TENANT, tenantId).replace(SAMPLE_INVOICE, invoiceId));
    links.setPathParameters(Map.of("tenantId", tenantId, "invoiceId", invoiceId));
    links
        .getRequestContext()
        .setAuthorizer(dev.xerosync.auth.TenantCredential.apiKey(tenantId, "policies").context());
    var answer = invokeApi("PanelDocumentsFunction", documents, links);
    assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
    JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.getBody());
    assertThat(body.path("onlineInvoiceUrl").asText()).startsWith("https://in.xero.com/");
    java.net.URI pdfUrl = java.net.URI.create(body.path("pdfUrl").asText());
    APIGatewayProxyRequestEvent pdf =
        EventLoader.loadApiGatewayRestEvent("events/documents-pdf.json");
    pdf.setPath(pdf.getPath().replace(SAMPLE_TENANT, tenantId).replace(SAMPLE_INVOICE, invoiceId));
    pdf.setPathParameters(Map.of("tenantId", tenantId, "invoiceId", invoiceId));
    Map<String, String> query = new HashMap<>();
    for (String pair : pdfUrl.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    pdf.setQueryStringParameters(query);
    var served = invokeApi("PanelDocumentsFunction", documents, pdf);
    assertThat(served.getStatusCode()).as(served.getBody()).isEqualTo(200);
    assertThat(new String(Base64.getDecoder().decode(served.getBody()), StandardCharsets.US_ASCII))
        .startsWith("%PDF-");

    // With a panel token (minted here, as the SaaS backend would): its record does not show this
    // invoice, so 404, after the function looked up the record's links and pins.
    var dynamo = stack.aws().dynamoDb();
    String table = stack.aws().resources().tableName("Table");
    // Minted on the stack's clock, which this test moved on to expire Xero's tokens.
    var clock = stack.xero().clock();
    var grants = new dev.xerosync.store.PanelGrants(dynamo, table);
    var keys = new dev.xerosync.store.ApiKeys(dynamo, table, clock);
    var key = keys.create(tenantId, "policies-documents");
    String token =
        new dev.xerosync.auth.PanelTokens(grants, keys, clock)
            .mint(tenantId, key.keyId(), "deal", "no-such-deal", Duration.ofMinutes(5))
            .token();
    APIGatewayProxyRequestEvent byPanel =
        EventLoader.loadApiGatewayRestEvent("events/documents-invoice.json");
    byPanel.setPath(links.getPath());
    byPanel.setPathParameters(links.getPathParameters());
    byPanel.setHeaders(Map.of("Authorization", "Bearer " + token));
    byPanel.setMultiValueHeaders(Map.of("Authorization", List.of("Bearer " + token)));
    byPanel
        .getRequestContext()
        .setAuthorizer(dev.xerosync.auth.TenantCredential.panelToken(tenantId).context());
    assertThat(invokeApi("PanelDocumentsFunction", documents, byPanel).getStatusCode())
        .isEqualTo(404);

    // The settings page's accounts: read from Xero once (the tenant's token), kept for the dry run.
    var settings = handler("SettingsFunction", stack.environment("SettingsFunction"));
    APIGatewayProxyRequestEvent accounts =
        EventLoader.loadApiGatewayRestEvent("events/settings-accounts.json");
    accounts.setPath(accounts.getPath().replace(SAMPLE_TENANT, tenantId));
    accounts.setPathParameters(Map.of("tenantId", tenantId));
    accounts
        .getRequestContext()
        .setAuthorizer(dev.xerosync.auth.TenantCredential.apiKey(tenantId, "policies").context());
    var listed = invokeApi("SettingsFunction", settings, accounts);
    assertThat(listed.getStatusCode()).as(listed.getBody()).isEqualTo(200);
    assertThat(listed.getBody()).contains("\"suggestedPaymentAccountCode\":\"615\"");
  }

  private static APIGatewayProxyRequestEvent apiEvent(String name) {
    eventsUsed.add(name);
    return EventLoader.loadApiGatewayRestEvent("events/" + name);
  }

  private static SQSEvent sqsEvent(String name) {
    eventsUsed.add(name);
    return EventLoader.loadSQSEvent("events/" + name);
  }

  private static APIGatewayProxyResponseEvent signedWebhook(
      String tenantId, String invoiceId, String contactId) throws Exception {
    String body =
        """
                {"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/%1$s","resourceId":"%1$s","eventDateUtc":"%5$s","eventType":"UPDATE","eventCategory":"INVOICE","tenantId":"%2$s","tenantType":"ORGANISATION"},
                {"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/%3$s","resourceId":"%3$s","eventDateUtc":"%5$s","eventType":"UPDATE","eventCategory":"CONTACT","tenantId":"%2$s","tenantType":"ORGANISATION"}],
                "firstEventSequence":1,"lastEventSequence":2,"entropy":"%4$s"}"""
            .formatted(
                invoiceId,
                tenantId,
                contactId,
                System.nanoTime(),
                // A new event time per delivery: FIFO deduplication hashes the events, and these
                // are meant to be new.
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
                    .format(
                        java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                            .plusNanos(++deliveries * 1_000_000L)));
    Environment env = stack.environment("WebhookFunction");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            dev.xerosync.common.AppSecrets.field(env, "webhookKey", "XERO_WEBHOOK_KEY")
                .getBytes(StandardCharsets.UTF_8),
            "HmacSHA256"));
    String signature =
        Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    var event =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("POST")
            .withResource("/webhooks/xero")
            .withPath("/webhooks/xero")
            .withHeaders(Map.of("x-xero-signature", signature, "Content-Type", "application/json"))
            .withBody(body)
            .withIsBase64Encoded(false);
    return invokeApi("WebhookFunction", handler("WebhookFunction", env), event);
  }

  /**
   * Feeds the sync queue to the worker in batches, as the SQS event source would, until it is
   * empty.
   */
  private static void drainSyncQueue() {
    drain("SyncQueue", "SyncWorkerFunction", 2, 0, Duration.ofSeconds(60));
  }

  /** A push, the set-up and a payment for a connected organisation, through both functions. */
  private static void writeBack(SimOrganisation org, String contact) {
    List<String> operations = new ArrayList<>();
    var dynamo = stack.aws().dynamoDb();
    String table = stack.aws().resources().tableName("Table");
    new dev.xerosync.store.Connections(dynamo, table)
        .recordConnected(
            org.tenantId(),
            "policies-saas",
            org.name(),
            "policy-test",
            "conn-policies",
            stack.xero().baseUrl().toString(),
            java.time.Instant.now());
    String key =
        new dev.xerosync.store.ApiKeys(dynamo, table, java.time.Clock.systemUTC())
            .create(org.tenantId(), "policies")
            .secret();
    var writeApi = handler("WriteApiFunction", stack.environment("WriteApiFunction"));
    String invoice =
        "{\"contact\":{\"xeroContactId\":\""
            + contact
            + "\"},\"status\":\"AUTHORISED\",\"dueDate\":\"2030-01-31\",\"lineItems\":[{\"description\":\"Anvil\",\"quantity\":1,"
            + "\"unitAmount\":100,\"accountCode\":\"200\"}]}";
    for (String[] w :
        List.of(
            new String[] {
              "PUT",
              "/tenants/{tenantId}/settings/accounting",
              "",
              "{\"paymentAccountCode\":\"090\"}"
            },
            new String[] {"PUT", "/tenants/{tenantId}/invoices/{invoiceId}", "policy-1", invoice},
            new String[] {
              "PUT",
              "/tenants/{tenantId}/invoices/{invoiceId}",
              "policy-2",
              invoice.replaceFirst("\\{", "{\"skipAccounting\":true,")
            },
            new String[] {
              "POST",
              "/tenants/{tenantId}/invoices/{invoiceId}/payments",
              "policy-1",
              "{\"paymentId\":\"policy-pay-1\",\"amount\":20}"
            })) {
      Map<String, String> params = new HashMap<>(Map.of("tenantId", org.tenantId()));
      if (!w[2].isEmpty()) {
        params.put("invoiceId", w[2]);
      }
      var event =
          new APIGatewayProxyRequestEvent()
              .withHttpMethod(w[0])
              .withResource(w[1])
              .withPath(w[1].replace("{tenantId}", org.tenantId()).replace("{invoiceId}", w[2]))
              .withHeaders(Map.of("x-api-key", key, "Content-Type", "application/json"))
              .withPathParameters(params)
              // What the TenantKey authorizer hands on for the organisation's key.
              .withRequestContext(
                  dev.xerosync.auth.TenantCredential.apiKey(org.tenantId(), null).requestContext())
              .withBody(w[3]);
      var answer = invokeApi("WriteApiFunction", writeApi, event);
      assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(202);
      operations.add(answer.getBody().replaceAll(".*\"operationId\":\"([^\"]+)\".*", "$1"));
    }
    stack.xero().clock().advance(Duration.ofMinutes(45));
    // Xero fails the invoice's create three times: the worker sets when its lane comes back.
    stack
        .xero()
        .faults()
        .failNextWrites(dev.xerosync.infra.xero.Faults.WriteFault.SERVER_ERROR_BEFORE_COMMIT, 3);
    drainWriteQueue();
    try {
      Thread.sleep(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainWriteQueue();
    var outbox = new dev.xerosync.store.Operations(dynamo, table);
    List<String> outcomes = new ArrayList<>();
    operations.forEach(
        id -> outcomes.add(outbox.get(org.tenantId(), id).map(o -> o.document()).orElse(id)));
    assertThat(org.payments()).as("the payment reached Xero: " + outcomes).hasSize(1);
  }

  /**
   * Feeds the write queue to the write worker, as its SQS event source would, until it is empty.
   */
  private static void drainWriteQueue() {
    drain("WriteQueue", "WriteWorkerFunction", 2, 0, Duration.ofSeconds(60));
  }

  private static SQSEvent toEvent(List<Message> messages) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      Map<String, String> attributes = new HashMap<>();
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      record.setAttributes(attributes);
      record.setEventSource("aws:sqs");
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }
}
