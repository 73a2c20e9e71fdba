package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Guid;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.ConnectFlows;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.syncengine.InitialSyncStarter;
import dev.xerosync.tokens.ConnectionTokens;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.tokens.XeroIdentity;
import dev.xerosync.tokens.XeroTenantConnections;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where Xero sends the browser back ({@code GET /connect/callback}) and where the user picks one of
 * several organisations ({@code POST /connect/select}). The callback checks the signed state,
 * claims the flow (single use), exchanges the code with the PKCE verifier, and reads {@code
 * /connections} for this consent's auth event. One organisation connects at once; several are
 * offered to pick from, never silently the first. Connecting stores the tokens in the connection's
 * secret, records who owns and connected it, and starts the initial sync.
 */
public final class CallbackHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(CallbackHandler.class);

  private final ConnectWiring w;
  private final InitialSyncStarter initialSync;

  public CallbackHandler() {
    this(Environment.process());
    Priming.register(CallbackHandler.class, this::prime);
  }

  /**
   * Refuses a callback whose state is not signed (a 400, nothing claimed), reads a connection that
   * cannot exist, and sends the empty batch SQS refuses.
   */
  public void prime() {
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withPath("/connect/callback")
            .withQueryStringParameters(
                Map.of("code", "priming", "state", "v1.cHJpbWluZw.cHJpbWluZw")),
        null);
    w.records().link("00000000-0000-0000-0000-000000000000");
    initialSync.prime();
  }

  public CallbackHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private CallbackHandler(ConnectWiring w) {
    this(w, w.initialSync());
  }

  public CallbackHandler(ConnectWiring wiring, InitialSyncStarter initialSync) {
    this.w = wiring;
    this.initialSync = initialSync;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, @Nullable Context context) {
    String correlationId = context == null ? "local" : context.getAwsRequestId();
    try {
      return "POST".equals(request.getHttpMethod())
          ? select(request, correlationId)
          : callback(request, correlationId);
    } catch (Problem r) {
      LOG.warn("connect step refused", "status", r.status(), "reason", r.getMessage());
      return r.response();
    } catch (RuntimeException e) {
      LOG.error("connect callback failed", e, "correlationId", correlationId);
      return ApiResponses.problem(
          500,
          "Internal error",
          "The connection could not be completed; start connecting again from your app.");
    }
  }

  private APIGatewayProxyResponseEvent callback(
      APIGatewayProxyRequestEvent request, String correlationId) throws Problem {
    String error = Requests.query(request, "error");
    if (error != null) {
      throw new Problem(
          400,
          "Xero did not grant access",
          "access_denied".equals(error)
              ? "Access was not allowed in Xero (the Xero sign-in was cancelled). Nothing was connected; start connecting again from your app."
              : "Xero answered with error '"
                  + error
                  + "'. Nothing was connected; start connecting again from your app.");
    }
    String flowId = w.state().verify(Requests.query(request, "state"), "callback");
    String code = Requests.query(request, "code");
    if (code == null) {
      throw new Problem(
          400,
          "Missing code",
          "Xero's callback must carry a code parameter. Start connecting again from your app.");
    }
    ConnectFlows.Flow flow = w.flows().claimCallback(flowId);
    XeroIdentity.CodeGrant grant;
    try {
      grant =
          w.identity()
              .exchangeCode(code, URI.create(flow.redirectUri()), w.state().pkceVerifier(flowId));
    } catch (TokenRefreshException e) {
      throw e.isInvalidGrant()
          ? new Problem(
              400,
              "Authorization code refused",
              "Xero refused the authorization code: it was already used or is older than 5 minutes. Start connecting again from your app.")
          : new Problem(
              502,
              "Xero unavailable",
              "Xero's token endpoint failed ("
                  + e.error()
                  + "). Start connecting again in a minute.");
    }
    List<XeroTenantConnections.TenantConnection> granted;
    try {
      granted = w.tenantConnections().list(grant.tokens().accessToken(), grant.authEventId());
    } catch (XeroTenantConnections.Failure e) {
      throw new Problem(
          502,
          "Xero unavailable",
          "Xero's list of connected organisations could not be read (status "
              + e.status()
              + "). Start connecting again in a minute.");
    }
    if (granted.isEmpty()) {
      throw new Problem(
          400,
          "No organisation granted",
          "Xero's consent granted no organisation. Start again and tick the organisation to connect.");
    }
    List<ConnectFlows.XeroTenantConnection> choices =
        granted.stream()
            .map(c -> new ConnectFlows.XeroTenantConnection(c.id(), c.tenantId(), c.tenantName()))
            .toList();
    if (choices.size() == 1) {
      return finish(
          request,
          flow,
          choices.getFirst(),
          grant.tokens(),
          grant.email(),
          correlationId,
          List.of());
    }
    // Several organisations: keep the tokens in a secret of the flow until the user picks one.
    w.pendingVault().write(flowId, grant.tokens());
    w.flows().awaitChoice(flowId, grant.email(), choices);
    LOG.info("connect flow awaits a choice", "flowId", flowId, "organisations", choices.size());
    String choiceToken =
        w.state().issue(flowId, "choose", w.clock().instant().plus(ConnectState.TTL));
    String action = w.baseUrl(request) + "/connect/select";
    if (Requests.wantsJson(request)) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(
          "choose",
          choices.stream()
              .map(c -> Map.of("tenantId", c.tenantId(), "organisationName", c.tenantName()))
              .toList());
      body.put("choice", choiceToken);
      body.put("selectUrl", action);
      return ApiResponses.json(200, body, Map.of("Cache-Control", "no-store"));
    }
    return ConnectPages.choose(grant.email(), choices, choiceToken, action);
  }

  private APIGatewayProxyResponseEvent select(
      APIGatewayProxyRequestEvent request, String correlationId) throws Problem {
    Map<String, String> form = Requests.form(request);
    String flowId = w.state().verify(form.get("choice"), "choose");
    // The choices are canonical (lower-case) GUIDs; a form field in another case is the same one.
    String picked = form.get("tenantId");
    String tenantId = picked == null ? null : Guid.canonical(picked);
    if (tenantId == null || tenantId.isBlank()) {
      throw new Problem(
          400,
          "No organisation picked",
          "Pick one organisation (form field tenantId) and submit again.");
    }
    ConnectFlows.Flow flow = w.flows().claimChoice(flowId, tenantId);
    var tokens =
        w.pendingVault()
            .read(flowId)
            .orElseThrow(
                () ->
                    new Problem(
                        409,
                        "Choice refused",
                        "This connect flow has already completed. Start connecting again from your app."));
    ConnectFlows.XeroTenantConnection chosen =
        flow.choices().stream()
            .filter(c -> c.tenantId().equals(tenantId))
            .findFirst()
            .orElseThrow();
    List<ConnectFlows.XeroTenantConnection> others = new ArrayList<>(flow.choices());
    others.remove(chosen);
    try {
      return finish(request, flow, chosen, tokens, flow.email(), correlationId, others);
    } finally {
      w.pendingVault().delete(flowId);
    }
  }

  private APIGatewayProxyResponseEvent finish(
      APIGatewayProxyRequestEvent request,
      ConnectFlows.Flow flow,
      ConnectFlows.XeroTenantConnection org,
      ConnectionTokens tokens,
      @Nullable String email,
      String correlationId,
      List<ConnectFlows.XeroTenantConnection> notChosen)
      throws Problem {
    Optional<ConnectionRecords.Link> existing = w.records().link(org.tenantId());
    if (existing.isPresent()
        && !existing.get().saasTenantId().equals(flow.saasTenantId())
        && w.connections()
            .get(org.tenantId())
            .map(c -> c.status() != ConnectionStatus.DISCONNECTED)
            .orElse(false)) {
      throw new Problem(
          409,
          "Organisation connected elsewhere",
          "Xero organisation "
              + org.tenantName()
              + " is already connected to another account of this service. Disconnect it there first, then connect it here.");
    }
    Instant now = w.clock().instant();
    w.vault().write(org.tenantId(), tokens);
    w.tokens().forget(org.tenantId());
    String baseUrl = w.baseUrl(request);
    // Recorded before the sync starts, so the sync's notifications find who owns the connection.
    w.connections()
        .recordConnected(
            org.tenantId(),
            flow.saasTenantId(),
            org.tenantName(),
            email,
            org.connectionId(),
            baseUrl,
            now);
    initialSync.start(org.tenantId(), correlationId);
    releaseUnchosen(tokens.accessToken(), notChosen);
    ConnectionRecords.Link link = w.records().link(org.tenantId()).orElseThrow();
    w.alerts().connected(link);
    LOG.info(
        "organisation connected",
        "tenantId",
        org.tenantId(),
        "saasTenantId",
        flow.saasTenantId(),
        "flowId",
        flow.flowId(),
        "reconnect",
        existing.isPresent(),
        "correlationId",
        correlationId);
    String statusUrl =
        baseUrl + "/saas-tenants/" + flow.saasTenantId() + "/connections/" + org.tenantId();
    if (Requests.wantsJson(request)) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenantId", org.tenantId());
      body.put("organisationName", org.tenantName());
      body.put("connectedBy", email);
      body.put("saasTenantId", flow.saasTenantId());
      body.put("status", ConnectionStatus.PENDING.name());
      body.put("statusUrl", statusUrl);
      return ApiResponses.json(201, body, Map.of("Cache-Control", "no-store"));
    }
    return ConnectPages.connected(org.tenantName(), email, org.tenantId(), statusUrl);
  }

  /**
   * Organisations the user granted but did not pick are removed from the app in Xero, so the app
   * holds no access it does not use; one that is connected here already (through another consent)
   * is kept.
   */
  private void releaseUnchosen(
      String accessToken, List<ConnectFlows.XeroTenantConnection> notChosen) {
    for (var c : notChosen) {
      boolean ours =
          w.records().link(c.tenantId()).isPresent()
              && w.connections()
                  .get(c.tenantId())
                  .map(x -> x.status() != ConnectionStatus.DISCONNECTED)
                  .orElse(false);
      if (ours) {
        continue;
      }
      try {
        w.tenantConnections().delete(accessToken, c.connectionId());
      } catch (XeroTenantConnections.Failure e) {
        LOG.warn(
            "an organisation not picked could not be removed from the app in Xero",
            "tenantId",
            c.tenantId(),
            "status",
            e.status());
      }
    }
  }
}
