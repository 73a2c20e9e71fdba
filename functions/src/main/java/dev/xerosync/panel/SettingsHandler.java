package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.InitialSyncProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code <xero-connection>} reads on the host's settings page, with a settings token (or the
 * tenant's API key): the connection's state in an admin's words (organisation, who connected it,
 * the initial sync's progress per phase, what to do when it is unhealthy), and the accounts the
 * set-up may choose from. The set-up itself is saved and dry-run through {@code
 * /settings/accounting}.
 *
 * <p>Costs: the connection route reads two items; the accounts route reads the kept copy of the
 * organisation's accounts and, when it is missing or over an hour old, reads them from Xero once
 * and keeps them, where the dry run checks the set-up against them.
 */
public final class SettingsHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(SettingsHandler.class);
  static final String CONNECTION_ROUTE = "GET /tenants/{tenantId}/settings/connection";
  static final String ACCOUNTS_ROUTE = "GET /tenants/{tenantId}/settings/accounts";

  /** As the write worker's copy (AccountingSetup.REFERENCE_FRESH): an hour. */
  static final Duration ACCOUNTS_FRESH = Duration.ofHours(1);

  private final SettingsWiring w;

  public SettingsHandler() {
    this(Environment.process());
    Priming.register(SettingsHandler.class, this::prime);
  }

  public SettingsHandler(Environment env) {
    this(SettingsWiring.of(env));
  }

  public SettingsHandler(SettingsWiring wiring) {
    this.w = wiring;
  }

  /** A connection request with a settings token that cannot exist (one DynamoDB read). */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    handleRequest(
        PanelRoutes.priming(
            CONNECTION_ROUTE,
            "xst_priming_never_a_real_token",
            Map.of("tenantId", nil),
            TenantCredential.settingsToken(nil)),
        null);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    return PanelRoutes.serve(
        LOG,
        w.grants(),
        event,
        Map.of(CONNECTION_ROUTE, this::connection, ACCOUNTS_ROUTE, this::accounts));
  }

  /** The tenant in the path, when the settings token (or API key) is for it. */
  private String tenant(APIGatewayProxyRequestEvent event, String route) throws Problem {
    String tenantId = PanelRoutes.uuid("tenantId", Requests.path(event, "tenantId"));
    PanelRoutes.noQuery(event);
    TenantCredential credential = TenantCredential.of(event);
    if (credential.isSettingsToken()) {
      PanelTokens.allowsSettings(
          w.settingsTokens().check(Requests.bearer(event)), route, Map.of("tenantId", tenantId));
      return tenantId;
    }
    return credential.apiKeyFor(tenantId);
  }

  private APIGatewayProxyResponseEvent connection(APIGatewayProxyRequestEvent event)
      throws Problem {
    String tenantId = tenant(event, CONNECTION_ROUTE);
    Optional<Connection> c = w.connections().get(tenantId);
    Optional<ConnectionRecords.Link> link = w.records().link(tenantId);
    ObjectNode out = Json.MAPPER.createObjectNode().put("tenantId", tenantId);
    if (c.isEmpty()) {
      out.put("status", "NOT_CONNECTED");
      out.put("reason", "No Xero organisation is connected.");
      out.put("action", "CONNECT");
      return PanelRoutes.json(w.grants(), event, 200, out);
    }
    Connection conn = c.get();
    out.put("status", conn.status().name());
    link.ifPresent(
        l -> {
          out.put("organisationName", l.organisationName());
          out.put("connectedBy", l.connectedBy());
          out.put("connectedAt", l.connectedAt() == null ? null : l.connectedAt().toString());
        });
    if (conn.initialSync() != null) {
      out.set("initialSync", InitialSyncProgress.json(conn.initialSync(), w.clock().instant()));
    }
    switch (conn.status()) {
      case PENDING, SYNCING ->
          out.put(
              "reason",
              "Copying invoices from Xero: the last 12 months first, then older history.");
      case RATE_LIMITED -> {
        out.put("reason", reasonOr(conn, "Xero's API limit for this organisation is used up."));
        if (conn.rateLimitedUntil() != null) {
          out.put("retryAt", conn.rateLimitedUntil().toString());
        }
      }
      case NEEDS_RECONNECT -> {
        out.put("reason", reasonOr(conn, "Xero no longer accepts this connection."));
        out.put("action", "RECONNECT");
      }
      case DISCONNECTED -> {
        out.put("reason", "Xero was disconnected.");
        out.put("action", "CONNECT");
      }
      case CONNECTED -> {}
    }
    return PanelRoutes.json(w.grants(), event, 200, out);
  }

  private static String reasonOr(Connection c, String fallback) {
    return c.statusReason() == null ? fallback : c.statusReason();
  }

  /**
   * The accounts the set-up offers: those Xero takes payments into (bank accounts, and accounts
   * with "Enable payments to this account"), with Undeposited Funds suggested, and the bank
   * accounts deposits go into.
   */
  private APIGatewayProxyResponseEvent accounts(APIGatewayProxyRequestEvent event) throws Problem {
    String tenantId = tenant(event, ACCOUNTS_ROUTE);
    ObjectNode reference = reference(tenantId);
    ArrayNode payments = Json.MAPPER.createArrayNode();
    ArrayNode banks = Json.MAPPER.createArrayNode();
    String suggested = null;
    for (JsonNode a : reference.path("accounts")) {
      if (!"ACTIVE".equals(a.path("Status").asText("ACTIVE"))
          || a.path("Code").asText("").isEmpty()) {
        continue;
      }
      boolean bank = "BANK".equals(a.path("Type").asText());
      ObjectNode row =
          Json.MAPPER
              .createObjectNode()
              .put("code", a.path("Code").asText())
              .put("name", a.path("Name").asText())
              .put("type", a.path("Type").asText());
      if (bank || a.path("EnablePaymentsToAccount").asBoolean(false)) {
        payments.add(row);
        if (suggested == null
            && "undeposited funds".equals(a.path("Name").asText().toLowerCase(Locale.ROOT))) {
          suggested = a.path("Code").asText();
        }
      }
      if (bank) {
        banks.add(row.deepCopy());
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("tenantId", tenantId);
    out.set("paymentAccounts", payments);
    out.set("bankAccounts", banks);
    out.put("suggestedPaymentAccountCode", suggested);
    out.put("fetchedAt", reference.path("accountsFetchedAt").asText(null));
    return PanelRoutes.json(w.grants(), event, 200, out);
  }

  /** The kept copy of the organisation's reference data, with accounts under an hour old. */
  private ObjectNode reference(String tenantId) throws Problem {
    Instant now = w.clock().instant();
    ObjectNode kept =
        w.operations().xeroReference(tenantId).map(SettingsHandler::parse).orElse(null);
    String fetched = kept == null ? "" : kept.path("accountsFetchedAt").asText("");
    if (kept != null
        && kept.has("accounts")
        && !fetched.isEmpty()
        && Instant.parse(fetched).plus(ACCOUNTS_FRESH).isAfter(now)) {
      return kept;
    }
    JsonNode accounts =
        PanelRoutes.xero(
            w.xero(),
            tenantId,
            token -> w.api().accounts(tenantId, token),
            new Problem(
                409,
                "Xero needs reconnecting",
                "Xero no longer accepts this organisation's connection: reconnect it, then try"
                    + " again."),
            e -> {
              LOG.warn("Xero refused the accounts", "tenantId", tenantId, "status", e.status());
              return new Problem(
                  503,
                  "Xero unavailable",
                  "Xero did not give the organisation's accounts just now; try again in a minute.");
            });
    ObjectNode reference = kept == null ? Json.MAPPER.createObjectNode() : kept;
    reference.set("accounts", accounts);
    reference.put("accountsFetchedAt", now.toString());
    w.operations().putXeroReference(tenantId, reference.toString());
    return reference;
  }

  private static ObjectNode parse(String document) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
