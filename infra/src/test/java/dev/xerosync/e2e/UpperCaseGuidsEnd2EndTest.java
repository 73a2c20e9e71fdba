package dev.xerosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.Connection.InitialSync.Phase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 29, finding 8, at the write API's and the panel's doors: GUIDs compare case-insensitively,
 * so a tenant, invoice, contact or operation id in upper case names the same thing as in lower
 * case, and gets the same answer. (The connect routes' test is in ConnectionLifecycleEnd2EndTest,
 * the webhook's in PoisonEventEnd2EndTest.)
 */
class UpperCaseGuidsEnd2EndTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalStack stack;

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theWriteApiTakesATenantInvoiceContactOrOperationIdInUpperCaseAsTheSameOne()
      throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Upper Case Writes Ltd");
    stack.connect(org);
    String lower = org.tenantId();
    String upper = lower.toUpperCase(Locale.ROOT);
    String key = key(lower);
    String contact = org.createContact("Upper Customer");

    Answer settings = call("GET", "/tenants/" + upper + "/settings/accounting", key, null, null);
    assertThat(settings.status()).as(settings.body().toString()).isEqualTo(200);
    assertThat(settings.body())
        .isEqualTo(
            call("GET", "/tenants/" + lower + "/settings/accounting", key, null, null).body());

    // The client's own invoice id is a GUID: either spelling is one invoice, so the same write in
    // the other spelling, with the same Idempotency-Key, is a replay of the first.
    String invoiceId = UUID.randomUUID().toString();
    String body = invoice(contact);
    Answer first =
        call(
            "PUT",
            "/tenants/" + upper + "/invoices/" + invoiceId.toUpperCase(Locale.ROOT),
            key,
            body,
            "upper-1");
    assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
    assertThat(first.body().path("tenantId").asText()).isEqualTo(lower);
    assertThat(first.body().path("externalId").asText()).isEqualTo(invoiceId);
    String operationId = first.body().path("operationId").asText();
    Answer replay =
        call("PUT", "/tenants/" + lower + "/invoices/" + invoiceId, key, body, "upper-1");
    assertThat(replay.status()).as(replay.body().toString()).isEqualTo(202);
    assertThat(replay.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(replay.body().path("operationId").asText()).isEqualTo(operationId);

    Answer byUpper =
        call(
            "GET",
            "/tenants/" + upper + "/operations/" + operationId.toUpperCase(Locale.ROOT),
            key,
            null,
            null);
    assertThat(byUpper.status()).as(byUpper.body().toString()).isEqualTo(200);
    assertThat(byUpper.body().path("operationId").asText()).isEqualTo(operationId);

    String contactId = UUID.randomUUID().toString();
    Answer contactWrite =
        call(
            "PUT",
            "/tenants/" + upper + "/contacts/" + contactId.toUpperCase(Locale.ROOT),
            key,
            "{\"name\":\"Upper Contact\",\"email\":\"upper@example.com\"}",
            null);
    assertThat(contactWrite.status()).as(contactWrite.body().toString()).isEqualTo(202);
    assertThat(contactWrite.body().path("externalId").asText()).isEqualTo(contactId);
  }

  @Test
  void thePanelRoutesTakeTheTenantInUpperCaseAsTheSameTenant() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Upper Case Panel Ltd");
    stack.connect(org);
    awaitInitialSync(org.tenantId());
    String lower = org.tenantId();
    String upper = lower.toUpperCase(Locale.ROOT);
    String key = key(lower);
    String origin = "https://crm.example.com";

    Answer origins =
        call(
            "PUT",
            "/tenants/" + upper + "/panel-origins",
            key,
            "{\"origins\":[\"" + origin + "\"]}",
            null);
    assertThat(origins.status()).as(origins.body().toString()).isEqualTo(200);
    assertThat(origins.body().path("tenantId").asText()).isEqualTo(lower);

    Answer minted =
        call(
            "POST",
            "/tenants/" + upper + "/panel-tokens",
            key,
            "{\"recordType\":\"contact\",\"recordId\":\"crm-1\"}",
            null);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(201);
    assertThat(minted.body().path("tenantId").asText()).isEqualTo(lower);
    String token = minted.body().path("token").asText();

    Answer statusUpper = call("GET", "/tenants/" + upper + "/panel-status", key, null, null);
    assertThat(statusUpper.status()).as(statusUpper.body().toString()).isEqualTo(200);
    assertThat(statusUpper.body())
        .isEqualTo(call("GET", "/tenants/" + lower + "/panel-status", key, null, null).body());
    // The token minted through the upper-case path is the tenant's. (API Gateway holds a panel
    // token to the policy its authorizer returns, which names the tenant in lower case.)
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + token, "Origin", origin);
    Answer byToken = send("GET", "/tenants/" + lower + "/panel-status", bearer, null);
    assertThat(byToken.status()).as(byToken.body().toString()).isEqualTo(200);
    assertThat(byToken.body()).isEqualTo(statusUpper.body());
    assertThat(byToken.raw().headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);

    Map<String, String> preflight =
        Map.of("Origin", origin, "Access-Control-Request-Method", "GET");
    Answer optionsUpper = send("OPTIONS", "/tenants/" + upper + "/panel-status", preflight, null);
    assertThat(optionsUpper.status()).isEqualTo(204);
    assertThat(optionsUpper.raw().headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue(origin);

    String page = "/panel?recordType=contact&recordId=crm-1&tenant=";
    Answer pageUpper = send("GET", page + upper, Map.of(), null);
    assertThat(pageUpper.status()).isEqualTo(200);
    assertThat(pageUpper.raw().body())
        .isEqualTo(send("GET", page + lower, Map.of(), null).raw().body());
    // Only the canonical 8-4-4-4-12 form is a GUID: UUID.fromString also read this one as one.
    assertThat(send("GET", page + "%2B" + lower.substring(1), Map.of(), null).status())
        .isEqualTo(400);
  }

  /** The panel's status reads the connection, which changes until its initial sync is done. */
  private static void awaitInitialSync(String tenantId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var c = stack.workerWiring().connections().get(tenantId);
      if (c.isPresent()
          && c.get().initialSync() != null
          && c.get().initialSync().phase() == Phase.DONE) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("initial sync of " + tenantId + " did not finish");
  }

  private static String invoice(String contact) {
    return "{\"contact\":{\"xeroContactId\":\""
        + contact
        + "\"},\"status\":\"DRAFT\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Widget\",\"quantity\":1,\"unitAmount\":10,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  /** Issued as a deployment does (ApiKeyAdminFunction), so the tenant has its usage-plan key. */
  private static String key(String tenantId) {
    return stack.issueApiKey(tenantId, "upper-case-test").secret();
  }

  private static Answer call(
      String method, String path, String key, String body, String idempotencyKey) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-api-key", key);
    headers.put("Content-Type", "application/json");
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    return send(method, path, headers, body);
  }

  private static Answer send(String method, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json =
        r.body().isBlank() || !r.body().trim().startsWith("{")
            ? Json.MAPPER.createObjectNode()
            : Json.MAPPER.readTree(r.body());
    return new Answer(r.statusCode(), json, r);
  }
}
