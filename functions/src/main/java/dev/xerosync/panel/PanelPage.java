package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Problem;
import dev.xerosync.store.PanelGrants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The panel's public files: the two components' ES modules (ETag, any origin may load them) and the
 * standalone {@code /panel} page that hosts the invoice panel, under a CSP that only the tenant's
 * origins may frame.
 */
final class PanelPage {
  static final String MODULE_PATH = "/panel/xero-invoice-panel.js";
  static final String SETTINGS_MODULE_PATH = "/panel/xero-connection.js";

  private final PanelGrants grants;
  private final @Nullable String socketUrl;

  PanelPage(PanelGrants grants, @Nullable String socketUrl) {
    this.grants = grants;
    this.socketUrl = socketUrl;
  }

  APIGatewayProxyResponseEvent module(APIGatewayProxyRequestEvent event) {
    return script(event, Module.TEXT);
  }

  APIGatewayProxyResponseEvent settingsModule(APIGatewayProxyRequestEvent event) {
    return script(event, SettingsModule.TEXT);
  }

  private APIGatewayProxyResponseEvent script(APIGatewayProxyRequestEvent event, String text) {
    // Module scripts load in CORS mode; the component is public code, so any page may load it.
    return PanelRoutes.cacheable(
        grants,
        event,
        text,
        "text/javascript",
        "public, max-age=300",
        Map.of("Access-Control-Allow-Origin", "*", "X-Content-Type-Options", "nosniff"));
  }

  /**
   * {@code /panel?tenant=…&recordType=…&recordId=…#token=…}: the token travels in the fragment, so
   * it never reaches a server log. The page runs under a strict CSP: its only script is the module,
   * and only the tenant's origins may frame it.
   */
  APIGatewayProxyResponseEvent page(APIGatewayProxyRequestEvent event) throws Problem {
    Map<String, String> q =
        event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    for (String name : q.keySet()) {
      if (!Set.of("tenant", "recordType", "recordId", "view").contains(name)) {
        throw Problem.invalid(
            "unknown query parameter '"
                + name
                + "'; /panel takes tenant, recordType, recordId, view");
      }
    }
    String tenant = PanelRoutes.uuid("tenant", q.get("tenant"));
    String recordType = PanelRoutes.recordType(q.get("recordType"));
    String recordId = PanelRoutes.recordId(q.get("recordId"));
    String view = q.getOrDefault("view", "open");
    if (!Set.of("open", "overdue", "unpaid", "paid", "pinned").contains(view)) {
      throw Problem.invalid("view must be open, overdue, unpaid, paid or pinned");
    }
    List<String> origins = grants.origins(tenant);
    String html =
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Xero invoices</title>
        <script type="module" src="panel/xero-invoice-panel.js"></script>
        </head>
        <body>
        <xero-invoice-panel standalone token-from="fragment" tenant="%s" record-type="%s" record-id="%s" view="%s"></xero-invoice-panel>
        </body>
        </html>
        """
            .formatted(tenant, recordType, recordId, view);
    String csp =
        "default-src 'none'; script-src 'self'; connect-src 'self'"
            + (socketUrl == null ? "" : " " + socketOrigin(socketUrl))
            + "; style-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors "
            + (origins.isEmpty() ? "'none'" : String.join(" ", origins));
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(
            Map.of(
                "Content-Type", "text/html",
                "Content-Security-Policy", csp,
                "Cache-Control", HttpCaching.NO_STORE,
                "Referrer-Policy", "no-referrer",
                "X-Content-Type-Options", "nosniff"))
        .withBody(html);
  }

  /** The socket's origin for connect-src: scheme, host and port, without the stage's path. */
  static String socketOrigin(String url) {
    java.net.URI u = java.net.URI.create(url);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }

  /** The components' sources, each read once per container. */
  private static final class Module {
    static final String TEXT = load(MODULE_PATH);
  }

  private static final class SettingsModule {
    static final String TEXT = load(SETTINGS_MODULE_PATH);
  }

  private static String load(String path) {
    try (InputStream in = PanelPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
