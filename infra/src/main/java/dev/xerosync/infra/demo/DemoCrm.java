package dev.xerosync.infra.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small CRM, as a SaaS product that embeds the invoice panel would be: a contact page with the
 * panel in its sidebar (on its own origin, so the panel calls the API across origins as it would in
 * production), and the backend route that mints a panel token with the tenant's API key. The API
 * key stays on this server; the page only ever sees panel tokens.
 */
public final class DemoCrm implements AutoCloseable {
  private static final Pattern RECORD = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private final HttpServer server;
  final URI apiUrl;
  private final String apiKey;
  private final String tenantId;
  private final Map<String, String> names;
  private final int pollMs;
  private volatile @Nullable Integrations integrations;
  private final Map<String, String> settingsKeys = new ConcurrentHashMap<>();

  /**
   * The Integrations page's backend: the SaaS tenant this CRM account is, the deployment's admin
   * key (which starts the connect flow and disconnects, server-side), and how this backend gets an
   * API key for an organisation once it is connected (a deployment issues one with
   * ApiKeyAdminFunction).
   */
  public record Integrations(
      String saasTenantId, String adminKey, Function<String, String> apiKeyFor) {}

  private DemoCrm(
      HttpServer server,
      URI apiUrl,
      String apiKey,
      String tenantId,
      Map<String, String> names,
      int pollMs) {
    this.server = server;
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
    this.tenantId = tenantId;
    this.names = names;
    this.pollMs = pollMs;
  }

  /**
   * Serves on {@code port} (0: any free one). {@code names} maps "type/id" of CRM records to the
   * names shown in the page's heading.
   */
  public static DemoCrm start(
      int port, URI apiUrl, String apiKey, String tenantId, Map<String, String> names, int pollMs)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    DemoCrm crm = new DemoCrm(server, apiUrl, apiKey, tenantId, names, pollMs);
    server.createContext("/", crm::serve);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return crm;
  }

  /**
   * For {@code ./dev up}: links the demo contact to the CRM record {@code contact/crm-acme}, lets
   * this CRM's origin embed the panel (both with the tenant's API key, as a SaaS backend does), and
   * serves on CRM_PORT (any free port when unset).
   */
  public static DemoCrm startForDemo(
      URI apiUrl, String apiKey, String tenantId, String contactId, String contactName)
      throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("CRM_PORT", "0"));
    DemoCrm crm =
        start(port, apiUrl, apiKey, tenantId, Map.of("contact/crm-acme", contactName), 2000);
    crm.api("POST", "/records/contact/crm-acme/links", "{\"contactId\":\"" + contactId + "\"}");
    crm.api("POST", "/panel-origins", "{\"origin\":\"" + crm.origin() + "\"}");
    return crm;
  }

  private void api(String method, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/tenants/" + tenantId + path))
                .header("x-api-key", apiKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
  }

  @Nullable Integrations integrations() {
    return integrations;
  }

  Map<String, String> settingsKeys() {
    return settingsKeys;
  }

  /** Turns on the Integrations page ({@code /integrations}) with its backend. */
  public DemoCrm withIntegrations(Integrations i) {
    this.integrations = i;
    return this;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /**
   * The origin a browser sends from this CRM's pages: what the tenant allows to embed its panel.
   */
  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The page of one record, such as {@code contact/crm-acme}. */
  public URI recordUrl(String type, String id) {
    return url().resolve("records/" + type + "/" + id);
  }

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (path.equals("/favicon.ico")) {
        send(x, 204, "image/x-icon", "", Map.of());
      } else if (path.equals("/crm.css")) {
        send(x, 200, "text/css", CSS, Map.of());
      } else if (path.equals("/panel-token")) {
        panelToken(x);
      } else if (path.startsWith("/integrations") || path.equals("/settings-token")) {
        DemoIntegrations.serve(this, x, path);
      } else if (path.equals("/") || path.startsWith("/records/")) {
        String[] parts = path.equals("/") ? new String[0] : path.substring(9).split("/");
        String type = parts.length == 2 ? parts[0] : "contact";
        String id = parts.length == 2 ? parts[1] : names.keySet().iterator().next().split("/")[1];
        if (!RECORD.matcher(type).matches() || !RECORD.matcher(id).matches()) {
          send(x, 404, "text/plain", "no such record", Map.of());
          return;
        }
        page(x, type, id);
      } else {
        send(x, 404, "text/plain", "not found", Map.of());
      }
    }
  }

  /** The three lines a SaaS product adds: the script tag, the element, and (below) the token. */
  private void page(HttpExchange x, String type, String id) throws IOException {
    String name = escape(names.getOrDefault(type + "/" + id, id));
    DemoPage.send(
        x,
        apiUrl,
        name,
        "xero-invoice-panel.js",
        null,
        """
        <main>
          <section class="record" aria-labelledby="record-name">
            <p class="kind">%3$s</p>
            <h1 id="record-name">%2$s</h1>
            <dl><dt>Owner</dt><dd>Sam Seller</dd><dt>Stage</dt><dd>Customer</dd><dt>Record id</dt><dd>%4$s</dd></dl>
            <h2>Activity</h2>
            <ul><li>Call with accounts team, yesterday</li><li>Quote sent, last week</li></ul>
          </section>
          <aside aria-label="Xero">
            <xero-invoice-panel tenant="%5$s" record-type="%3$s" record-id="%4$s" token-url="/panel-token?recordType=%3$s&amp;recordId=%4$s" poll-interval="%6$d" reconnect-url="%1$s/openapi.yaml"></xero-invoice-panel>
          </aside>
        </main>
        """
            .formatted(apiUrl, name, type, id, tenantId, pollMs),
        // The panel's change-notice socket: locally on a port of its own.
        " ws://127.0.0.1:*");
  }

  /** The SaaS backend's token call: its API key never leaves the server. */
  private void panelToken(HttpExchange x) throws IOException {
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    String type = q.getOrDefault("recordType", "");
    String id = q.getOrDefault("recordId", "");
    if (!RECORD.matcher(type).matches() || !RECORD.matcher(id).matches()) {
      send(x, 400, "application/json", "{\"error\":\"recordType and recordId\"}", Map.of());
      return;
    }
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(apiUrl + "/tenants/" + tenantId + "/panel-tokens"))
                  .header("x-api-key", apiKey)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"recordType\":\"" + type + "\",\"recordId\":\"" + id + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      send(x, r.statusCode(), "application/json", r.body(), Map.of("Cache-Control", "no-store"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(x, 503, "application/json", "{}", Map.of());
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static void send(
      HttpExchange x, int status, String type, String body, Map<String, String> headers)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static final String CSS =
      """
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f3f4f6}
      nav{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#1e293b;color:#fff}
      nav a{color:#e2e8f0}
      main{display:grid;grid-template-columns:minmax(0,1fr) 560px;gap:16px;padding:16px 20px;height:calc(100vh - 44px)}
      .record{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;overflow:auto}
      .kind{margin:0;color:#57606a;text-transform:uppercase;font-size:12px;letter-spacing:.05em}
      h1{margin:0 0 12px;font-size:22px}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
      dt{color:#57606a}dd{margin:0}
      aside{background:#fff;border:1px solid #d0d7de;border-radius:8px;overflow:hidden;height:min(100%,750px)}
      @media (max-width:900px){main{grid-template-columns:1fr;height:auto}aside{height:600px}}
      main.settings{display:block;height:auto;max-width:720px}
      main.settings .card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:0;margin-top:12px}
      """;
}
