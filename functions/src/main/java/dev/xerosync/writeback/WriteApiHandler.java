package dev.xerosync.writeback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.PanelCors;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Guid;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.outbox.DryRun;
import dev.xerosync.outbox.Operation;
import dev.xerosync.outbox.OperationKind;
import dev.xerosync.outbox.Outbox;
import dev.xerosync.store.PanelGrants;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The write API: each write is recorded in the outbox and answered 202 with its operation, whose
 * state the product polls at GET /operations/{id} (or hears about by notification). In write routes
 * the id in the path is the product's own id (API Gateway needs one parameter name per path level,
 * so it shares the query routes' names). {@code ?validate=only} checks a write against the
 * organisation's cached data and sends nothing.
 */
public final class WriteApiHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(WriteApiHandler.class);
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final Outbox outbox;
  private final DryRun dryRun;
  private final PanelGrants grants;
  private final PanelTokens settingsTokens;

  public WriteApiHandler() {
    this(Environment.process());
    Priming.register(WriteApiHandler.class, this::prime);
  }

  public WriteApiHandler(Environment env) {
    this(WritebackWiring.forApi(env));
  }

  public WriteApiHandler(WritebackWiring w) {
    this.outbox = w.outbox();
    this.dryRun = w.dryRun();
    this.grants = w.grants();
    this.settingsTokens = w.settingsTokens();
  }

  /**
   * A request for a tenant that cannot exist: routing, the authorizer's context, an operation
   * lookup (a DynamoDB read) and a problem document.
   */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource("/tenants/{tenantId}/operations/{operationId}")
            .withPathParameters(Map.of("tenantId", nil, "operationId", nil))
            .withRequestContext(TenantCredential.apiKey(nil, null).requestContext()),
        null);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    // <xero-connection> calls the set-up routes from the host's page: every answer, refusals
    // included, carries CORS for the tenant's allowed origin (none without an Origin header).
    return PanelCors.withHeaders(grants, event, answer(event, context));
  }

  @SuppressWarnings("try")
  private APIGatewayProxyResponseEvent answer(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    Map<String, String> path = ids(event.getPathParameters());
    String route = event.getHttpMethod() + " " + event.getResource();
    try (var scope =
        Log.scope(
            Log.CORRELATION_ID,
            context == null ? null : context.getAwsRequestId(),
            Log.TENANT_ID,
            path.get("tenantId"))) {
      String tenantId = authorise(event, path, route);
      boolean validateOnly = validateOnly(event);
      return switch (route) {
        case "PUT /tenants/{tenantId}/invoices/{invoiceId}" ->
            write(
                event,
                tenantId,
                OperationKind.INVOICE_UPSERT,
                path.get("invoiceId"),
                null,
                validateOnly);
        case "POST /tenants/{tenantId}/invoices/{invoiceId}/void" ->
            write(
                event,
                tenantId,
                OperationKind.INVOICE_VOID,
                path.get("invoiceId"),
                null,
                validateOnly);
        case "POST /tenants/{tenantId}/invoices/{invoiceId}/payments" ->
            namedInBody(
                event,
                tenantId,
                OperationKind.PAYMENT,
                "paymentId",
                path.get("invoiceId"),
                validateOnly);
        case "POST /tenants/{tenantId}/deposits" ->
            namedInBody(event, tenantId, OperationKind.DEPOSIT, "depositId", null, validateOnly);
        case "PUT /tenants/{tenantId}/contacts/{contactId}" ->
            write(
                event,
                tenantId,
                OperationKind.CONTACT_UPSERT,
                path.get("contactId"),
                null,
                validateOnly);
        case "POST /tenants/{tenantId}/history/invoices" ->
            namedInBody(
                event, tenantId, OperationKind.INVOICE_HISTORY, "pushId", null, validateOnly);
        case "PUT /tenants/{tenantId}/settings/accounting" ->
            write(
                event,
                tenantId,
                OperationKind.ACCOUNTING_SETTINGS,
                "accounting",
                null,
                validateOnly);
        case "GET /tenants/{tenantId}/settings/accounting" -> settings(tenantId);
        case "GET /tenants/{tenantId}/operations/{operationId}" ->
            operation(tenantId, path.get("operationId"));
        default ->
            ApiResponses.problem(
                404, "No such route", "There is no route " + route + "; see /openapi.yaml.");
      };
    } catch (Problem p) {
      return p.response();
    } catch (RuntimeException e) {
      LOG.error("write API failed", e, "route", route);
      return ApiResponses.problem(
          500,
          "Internal error",
          "The request could not be served; retry with the same Idempotency-Key.");
    }
  }

  /** A write whose own id is a field of its body (a payment's, a deposit's, a push's). */
  private APIGatewayProxyResponseEvent namedInBody(
      APIGatewayProxyRequestEvent event,
      String tenantId,
      OperationKind kind,
      String idField,
      @Nullable String parent,
      boolean validateOnly)
      throws Problem {
    JsonNode body = body(event);
    return write(
        event, tenantId, kind, body.path(idField).asText(null), parent, validateOnly, body);
  }

  private APIGatewayProxyResponseEvent write(
      APIGatewayProxyRequestEvent event,
      String tenantId,
      OperationKind kind,
      @Nullable String externalId,
      @Nullable String parent,
      boolean validateOnly)
      throws Problem {
    JsonNode body =
        kind == OperationKind.INVOICE_VOID && (event.getBody() == null || event.getBody().isBlank())
            ? Json.MAPPER.createObjectNode()
            : body(event);
    return write(event, tenantId, kind, externalId, parent, validateOnly, body);
  }

  private APIGatewayProxyResponseEvent write(
      APIGatewayProxyRequestEvent event,
      String tenantId,
      OperationKind kind,
      @Nullable String externalId,
      @Nullable String parent,
      boolean validateOnly,
      JsonNode body)
      throws Problem {
    Outbox.Write write =
        new Outbox.Write(
            tenantId, kind, externalId, parent, body, Requests.header(event, "Idempotency-Key"));
    if (validateOnly) {
      return ApiResponses.json(200, dryRun.check(write));
    }
    // The dry run's rules, applied before the write is recorded: one set of rules for both.
    Problem refused = dryRun.refusal(write);
    if (refused != null) {
      throw refused;
    }
    Outbox.Accepted accepted = outbox.accept(write);
    Operation op = accepted.operation();
    ObjectNode answer = outbox.answer(accepted);
    String location = "/tenants/" + tenantId + "/operations/" + op.operationId();
    answer.put("href", location);
    return ApiResponses.json(
        202,
        answer,
        accepted.replayed()
            ? Map.of("Location", location, "Idempotent-Replayed", "true")
            : Map.of("Location", location));
  }

  private APIGatewayProxyResponseEvent operation(String tenantId, @Nullable String operationId)
      throws Problem {
    try {
      UUID.fromString(Objects.requireNonNull(operationId));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new Problem(
          400, "Invalid request", "operationId must be the UUID a write answered with");
    }
    ObjectNode op =
        outbox
            .view(tenantId, operationId)
            .orElseThrow(
                () ->
                    new Problem(
                        404,
                        "No such operation",
                        "No operation "
                            + operationId
                            + " for this tenant; operations are kept 90 days."));
    return ApiResponses.json(200, op);
  }

  private APIGatewayProxyResponseEvent settings(String tenantId) {
    return ApiResponses.json(200, dryRun.settings(tenantId));
  }

  /**
   * The path's ids (tenant, invoice, contact, operation) at the edge: a GUID lower-cased, so an
   * upper-case spelling is the same id everywhere below; any other value as sent.
   */
  private static Map<String, String> ids(@Nullable Map<String, String> path) {
    Map<String, String> out = new HashMap<>();
    if (path != null) {
      path.forEach(
          (name, value) -> {
            if (value != null) {
              out.put(name, Guid.canonical(value));
            }
          });
    }
    return out;
  }

  /** The tenant in the path, when the authorizer accepted an API key issued for it. */
  /**
   * The tenant's API key, or a settings token on the set-up routes (PanelTokens.SETTINGS_ROUTES).
   */
  private String authorise(
      APIGatewayProxyRequestEvent event, Map<String, String> path, String route) throws Problem {
    TenantCredential credential = TenantCredential.of(event);
    String tenantId = path.get("tenantId");
    // Canonical form only, as the query API: UUID.fromString also reads "+1234567-..." as a UUID.
    if (tenantId == null || !Guid.isCanonical(tenantId)) {
      throw Problem.invalid("tenantId must be a Xero tenant id (a UUID)");
    }
    if (credential.isSettingsToken()) {
      PanelTokens.allowsSettings(
          settingsTokens.check(Requests.bearer(event)), route, Map.of("tenantId", tenantId));
      return tenantId;
    }
    return credential.apiKeyFor(tenantId);
  }

  private static JsonNode body(APIGatewayProxyRequestEvent event) throws Problem {
    String raw = event.getBody();
    if (raw == null || raw.isBlank()) {
      throw new Problem(400, "Invalid request", "The request needs a JSON body.");
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      try {
        raw = new String(Base64.getDecoder().decode(raw), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Problem(400, "Invalid request", "The body is marked base64 but is not base64.");
      }
    }
    if (raw.length() > MAX_BODY_BYTES) {
      throw new Problem(413, "Body too large", "A write body may be at most 256 KiB.");
    }
    try {
      JsonNode n = Json.MAPPER.readTree(raw);
      if (n == null || !n.isObject()) {
        throw new Problem(400, "Invalid request", "The body must be a JSON object.");
      }
      return n;
    } catch (IOException e) {
      throw new Problem(400, "Invalid request", "The body is not valid JSON.");
    }
  }

  /**
   * {@code ?validate=only} asks for a dry run. Any other value is refused rather than read as "no":
   * a request that asks for validation in another spelling must never write.
   */
  private static boolean validateOnly(APIGatewayProxyRequestEvent event) throws Problem {
    String v = query(event, "validate");
    if (v == null) {
      return false;
    }
    if (!"only".equals(v)) {
      throw Problem.invalid(
          "validate takes one value, 'only' (check and send nothing); got '"
              + Guid.printable(v)
              + "'. Leave it out to write.");
    }
    return true;
  }

  private static @Nullable String query(APIGatewayProxyRequestEvent event, String name) {
    Map<String, String> q = event.getQueryStringParameters();
    return q == null ? null : q.get(name);
  }
}
