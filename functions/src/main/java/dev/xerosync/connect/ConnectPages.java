package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.store.ConnectFlows;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The few HTML pages a browser sees during the connect flow; every value is HTML-escaped. */
final class ConnectPages {
  private ConnectPages() {}

  static APIGatewayProxyResponseEvent connected(
      String organisationName, @Nullable String email, String tenantId, String statusUrl) {
    return page(
        200,
        "Connected to Xero",
        "<h1>Connected to Xero</h1><p><strong id=\"organisation\">"
            + esc(organisationName)
            + "</strong> is connected"
            + (email == null ? "" : " by <strong id=\"connected-by\">" + esc(email) + "</strong>")
            + ".</p>"
            + "<p>Its invoices and payments are being synced now; the last 12 months arrive first.</p>"
            + "<p>Xero organisation id: <code>"
            + esc(tenantId)
            + "</code>. Status: <code>"
            + esc(statusUrl)
            + "</code></p>");
  }

  static APIGatewayProxyResponseEvent choose(
      String email,
      List<ConnectFlows.XeroTenantConnection> choices,
      String choiceToken,
      String action) {
    StringBuilder html =
        new StringBuilder("<h1>Which Xero organisation?</h1><p>")
            .append(email == null ? "You" : esc(email))
            .append(
                " allowed access to several organisations. Pick the one to connect; the others are left alone.</p>")
            .append("<form method=\"post\" action=\"")
            .append(esc(action))
            .append("\">")
            .append("<input type=\"hidden\" name=\"choice\" value=\"")
            .append(esc(choiceToken))
            .append("\">");
    for (var c : choices) {
      html.append("<p><label><input type=\"radio\" name=\"tenantId\" value=\"")
          .append(esc(c.tenantId()))
          .append("\" required> ")
          .append(esc(c.tenantName()))
          .append("</label></p>");
    }
    html.append("<button type=\"submit\">Connect this organisation</button></form>");
    return page(200, "Choose a Xero organisation", html.toString());
  }

  private static APIGatewayProxyResponseEvent page(int status, String title, String body) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(
            Map.of(
                "Content-Type",
                "text/html; charset=utf-8",
                "Cache-Control",
                "no-store",
                "Content-Security-Policy",
                "default-src 'none'; form-action 'self'",
                "X-Frame-Options",
                "DENY"))
        .withBody(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                + esc(title)
                + "</title></head><body>"
                + body
                + "</body></html>");
  }

  static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;")
            .replace("'", "&#39;");
  }
}
