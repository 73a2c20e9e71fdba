package dev.xerosync.panel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's acceptance: an embed on another origin, made of README's snippet as written, keeps
 * updating across three panel-token lifetimes. The host page and its {@code /xero-panel-token}
 * route (which mints through the real API with the tenant's key, as README's step 4 does) run on an
 * origin of their own. Instead of waiting 15 minutes per lifetime, the script moves the stack's one
 * clock (the simulator's, {@code POST /_sim/clock}, which every function reads) past the token's
 * expiry. The script is panel/test/lifetimes.browser.mjs.
 */
class PanelTokenLifetimesBrowserEnd2EndTest {
  /** README's record and token route. */
  static final String RECORD_TYPE = "deal";

  static final String RECORD_ID = "hubspot-deal-4711";
  static final String TOKEN_PATH = "/xero-panel-token";

  @Test
  void anEmbedOnAnotherOriginKeepsUpdatingAcrossThreeTokenLifetimes() throws Exception {
    var missing = PanelStage.missingBrowser();
    if (missing.isPresent()) {
      // CI sets PANEL_BROWSER_REQUIRED (.ci/run installs Chromium), so there a skip is a failure.
      assertThat(System.getenv("PANEL_BROWSER_REQUIRED")).as(missing.get()).isNull();
      Assumptions.abort(missing.get());
    }
    try (LocalStack stack = LocalStack.start(LocalStack.Options.defaults())) {
      SimOrganisation org = stack.xero().createOrganisation("Lifetimes Ltd");
      String contact = org.createContact("Hooli Inc");
      LocalDate today = LocalDate.now(org.timezone());
      String first =
          org.createAuthorisedInvoice(
              contact, today.minusDays(2), today.plusDays(28), new BigDecimal("250.00"));
      stack.connect(org);
      awaitConnected(stack, org.tenantId());
      String apiKey = stack.issueApiKey(org.tenantId(), "embed").secret();
      String tenantApi = stack.apiUrl() + "/tenants/" + org.tenantId();
      PanelStage.call(
          "POST",
          tenantApi + "/records/" + RECORD_TYPE + "/" + RECORD_ID + "/links",
          apiKey,
          "{\"contactId\":\"" + contact + "\"}");

      HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      host.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      String page = embedPage(stack.apiUrl().toString(), org.tenantId());
      host.createContext("/", x -> send(x, 200, "text/html; charset=utf-8", page));
      host.createContext(TOKEN_PATH, x -> mint(x, tenantApi, apiKey));
      // What the script cannot do from the browser: close the open sockets, as API Gateway does at
      // its 2-hour limit, and count them.
      host.createContext(
          "/_test/drop-sockets",
          x -> {
            stack.webSocketApi().outage(true);
            stack.webSocketApi().outage(false);
            send(x, 200, "application/json", "{}");
          });
      host.createContext(
          "/_test/sockets",
          x ->
              send(
                  x,
                  200,
                  "application/json",
                  "{\"open\":" + stack.webSocketApi().connections().size() + "}"));
      host.start();
      try {
        String origin = "http://127.0.0.1:" + host.getAddress().getPort();
        PanelStage.call(
            "POST", tenantApi + "/panel-origins", apiKey, "{\"origin\":\"" + origin + "\"}");
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chromium", PanelStage.chromium().orElseThrow());
        config.put("page", origin + "/");
        config.put("origin", origin);
        config.put("api", stack.apiUrl().toString());
        config.put("simulator", stack.xero().baseUrl().toString());
        config.put("simToken", stack.simulatorControl().controlToken());
        config.put("tenant", org.tenantId());
        config.put("contact", contact);
        config.put("first", org.invoice(first).invoice().invoiceNumber());
        config.put(
            "screenshots", Path.of("target", "panel-screenshots").toAbsolutePath().toString());
        int exit = PanelStage.node("lifetimes.browser.mjs", config);
        assertThat(exit).as("lifetimes.browser.mjs exit status (its output is above)").isZero();
      } finally {
        host.stop(0);
      }
    }
  }

  /**
   * README's embed snippet as written, with its placeholders filled in: the script tag and the
   * element, on a page of the host's origin.
   */
  static String embedPage(String apiUrl, String tenantId) throws IOException {
    String readme = Files.readString(PanelStage.PANEL_DIR.getParent().resolve("README.md"));
    Matcher m =
        Pattern.compile("```html\\n(\\s*<script[^`]*?<xero-invoice-panel[^`]*?)```")
            .matcher(readme);
    assertThat(m.find()).as("README's embed snippet (```html with <xero-invoice-panel>)").isTrue();
    String snippet =
        m.group(1).replace("https://<api>/v1", apiUrl).replace("<tenantId>", tenantId).strip();
    assertThat(snippet)
        .as("the snippet's placeholders are filled in")
        .doesNotContain("<api>", "<tenantId>")
        .contains(
            "record-type=\"" + RECORD_TYPE + "\"",
            "record-id=\"" + RECORD_ID + "\"",
            "token-url=\"" + TOKEN_PATH + "\"");
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CRM</title>"
        + "</head><body>\n"
        + snippet
        + "\n</body></html>\n";
  }

  /** README's step 4: the backend mints a token for the record with the tenant's API key. */
  private static void mint(HttpExchange x, String tenantApi, String apiKey) throws IOException {
    try {
      String minted =
          PanelStage.call(
              "POST",
              tenantApi + "/panel-tokens",
              apiKey,
              "{\"recordType\":\"" + RECORD_TYPE + "\",\"recordId\":\"" + RECORD_ID + "\"}");
      send(x, 200, "application/json", minted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(x, 503, "application/json", "{}");
    } catch (Exception e) {
      send(x, 502, "application/json", "{}");
    }
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    try (x) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", type);
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.sendResponseHeaders(status, b.length);
      x.getResponseBody().write(b);
    }
  }

  private static void awaitConnected(LocalStack stack, String tenantId)
      throws InterruptedException {
    Connections connections =
        new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (connections
          .get(tenantId)
          .filter(c -> c.status() == ConnectionStatus.CONNECTED)
          .isPresent()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("initial sync did not finish within 120 s");
  }
}
