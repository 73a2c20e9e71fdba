package dev.xerosync.infra.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo CRM's Integrations page, as a SaaS product's settings page would hold {@code
 * <xero-connection>}: the page, and the three backend routes the component calls on its own origin.
 * The admin key and the API keys stay on this server; the page only ever sees settings tokens.
 *
 * <ul>
 *   <li>{@code GET /settings-token}: the SaaS tenant's live connection, if any (204 when none), and
 *       a settings token for it, minted with the organisation's API key;
 *   <li>{@code GET /integrations/connect}: starts the hosted connect flow server-side and sends the
 *       browser to Xero's consent page;
 *   <li>{@code POST /integrations/disconnect}: disconnects the organisation (its data is kept).
 * </ul>
 */
final class DemoIntegrations {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoIntegrations() {}

  static void serve(DemoCrm crm, HttpExchange x, String path) throws IOException {
    DemoCrm.Integrations i = crm.integrations();
    if (i == null) {
      DemoCrm.send(x, 404, "text/plain", "no integrations", Map.of());
      return;
    }
    try {
      switch (x.getRequestMethod() + " " + path) {
        case "GET /integrations" -> page(crm, x);
        case "GET /settings-token" -> settingsToken(crm, i, x);
        case "GET /integrations/connect" -> {
          JsonNode started =
              admin(
                  crm,
                  i,
                  "GET",
                  "/connect",
                  HttpRequest.newBuilder().header("Accept", "application/json"));
          DemoCrm.send(
              x,
              302,
              "text/plain",
              "",
              Map.of(
                  "Location", started.path("authorizeUrl").asText(), "Cache-Control", "no-store"));
        }
        case "POST /integrations/disconnect" -> {
          String tenant = live(crm, i);
          if (tenant == null) {
            DemoCrm.send(x, 404, "application/json", "{}", Map.of());
            return;
          }
          admin(
              crm,
              i,
              "DELETE",
              "/connections/" + tenant + "?purge=false",
              HttpRequest.newBuilder());
          DemoCrm.send(x, 204, "application/json", "", Map.of());
        }
        default -> DemoCrm.send(x, 404, "text/plain", "not found", Map.of());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      DemoCrm.send(x, 503, "application/json", "{}", Map.of());
    } catch (IllegalStateException e) {
      DemoCrm.send(x, 502, "application/json", "{}", Map.of());
    }
  }

  private static void page(DemoCrm crm, HttpExchange x) throws IOException {
    DemoPage.send(
        x,
        crm.apiUrl,
        "Integrations",
        "xero-connection.js",
        "/integrations",
        """
        <main class="settings">
          <h1>Integrations</h1>
          <div class="card"><xero-connection token-url="/settings-token" connect-url="/integrations/connect" disconnect-url="/integrations/disconnect" api="%s"></xero-connection></div>
        </main>
        """
            .formatted(crm.apiUrl),
        "");
  }

  /**
   * A settings token for the live connection; its API key is issued (and the origin allowed) once.
   */
  private static void settingsToken(DemoCrm crm, DemoCrm.Integrations i, HttpExchange x)
      throws IOException, InterruptedException {
    String tenant = live(crm, i);
    if (tenant == null) {
      DemoCrm.send(x, 204, "application/json", "", Map.of("Cache-Control", "no-store"));
      return;
    }
    String key =
        crm.settingsKeys()
            .computeIfAbsent(
                tenant,
                t -> {
                  String k = i.apiKeyFor().apply(t);
                  tenantCall(
                      crm, k, t, "POST", "/panel-origins", "{\"origin\":\"" + crm.origin() + "\"}");
                  return k;
                });
    HttpResponse<String> r = tenantCall(crm, key, tenant, "POST", "/settings-tokens", "{}");
    DemoCrm.send(
        x, r.statusCode(), "application/json", r.body(), Map.of("Cache-Control", "no-store"));
  }

  /** The SaaS tenant's connection that is not disconnected, if any. */
  private static String live(DemoCrm crm, DemoCrm.Integrations i)
      throws IOException, InterruptedException {
    for (JsonNode c :
        admin(crm, i, "GET", "/connections", HttpRequest.newBuilder()).path("connections")) {
      if (!"DISCONNECTED".equals(c.path("status").asText())) {
        return c.path("tenantId").asText();
      }
    }
    return null;
  }

  private static JsonNode admin(
      DemoCrm crm, DemoCrm.Integrations i, String method, String path, HttpRequest.Builder b)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        DemoCrm.HTTP.send(
            b.uri(
                    URI.create(
                        crm.apiUrl
                            + "/saas-tenants/"
                            + URLEncoder.encode(i.saasTenantId(), StandardCharsets.UTF_8)
                            + path))
                .header("x-admin-key", i.adminKey())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode());
    }
    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  private static HttpResponse<String> tenantCall(
      DemoCrm crm, String key, String tenant, String method, String path, String body) {
    try {
      return DemoCrm.HTTP.send(
          HttpRequest.newBuilder(URI.create(crm.apiUrl + "/tenants/" + tenant + path))
              .header("x-api-key", key)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
