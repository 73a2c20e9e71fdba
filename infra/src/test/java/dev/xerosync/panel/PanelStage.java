package dev.xerosync.panel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import dev.xerosync.infra.demo.DemoCrm;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The real local stack with a connected organisation, the demo CRM on its own origin (allowed for
 * the tenant), and a control endpoint through which a browser script changes things in the
 * simulated Xero or the connection's state. Shared by the browser tests and the panel benchmark.
 */
public final class PanelStage implements AutoCloseable {
  public static final Path PANEL_DIR = findPanelDir();

  /** Invoices of the Initech record: more than one page of the API. */
  static final int MANY = 130;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final LocalStack stack;
  final SimOrganisation org;
  final String tenantId;
  final String apiKey;
  final DemoCrm crm;
  final Connections connections;
  final String acme;
  final Map<String, ObjectNode> invoices = new LinkedHashMap<>();
  final Map<String, ObjectNode> creditNotes = new LinkedHashMap<>();

  /** An organisation no one has connected yet: the Integrations page's to connect. */
  final SimOrganisation northwind;

  private final HttpServer control;

  /** Where a browser can run: Chromium and the panel's npm packages; empty when all are there. */
  public static Optional<String> missingBrowser() {
    if (chromium().isEmpty()) {
      return Optional.of(
          "Chromium not found: apt-get install chromium (or set CHROMIUM_PATH), then npm ci --prefix panel");
    }
    if (!new File("/usr/bin/node").canExecute() && which("node").isEmpty()) {
      return Optional.of("node not found: apt-get install nodejs npm, then npm ci --prefix panel");
    }
    if (!Files.isDirectory(PANEL_DIR.resolve("node_modules/playwright-core"))) {
      return Optional.of("the panel's npm packages are missing: npm ci --prefix panel");
    }
    return Optional.empty();
  }

  static Optional<String> chromium() {
    String env = System.getenv("CHROMIUM_PATH");
    if (env != null && new File(env).canExecute()) {
      return Optional.of(env);
    }
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (new File(p).canExecute()) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return Optional.of(f.getPath());
      }
    }
    return Optional.empty();
  }

  private static Path findPanelDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("panel/src/xero-invoice-panel.js"))) {
        return p.resolve("panel");
      }
    }
    throw new IllegalStateException("panel/ not found above " + here);
  }

  /**
   * {@code bulk} extra open invoices for Acme (the benchmark's 100 rows); {@code pollMs} the
   * panel's polling interval in the CRM page.
   */
  public PanelStage(int bulk, int pollMs) throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
    org = stack.xero().createOrganisation("Panel Books Ltd");
    tenantId = org.tenantId();
    LocalDate today = LocalDate.now(org.timezone());
    acme = org.createContact("Acme Widgets Ltd");
    String globex = org.createContact("Globex Corporation");
    // Every kind of row the panel shows, each on its own date so a date filter can pick it.
    String open =
        org.createAuthorisedInvoice(
            acme,
            null,
            "PO 4410",
            today.minusDays(3),
            today.plusDays(27),
            new BigDecimal("1200.00"));
    record("open", open);
    org.pay(open, new BigDecimal("400.00"), today.minusDays(2), "DD-5521");
    org.pay(open, new BigDecimal("300.00"), today.minusDays(1), "DD-5522");
    add("overdue", acme, today.minusDays(45), today.minusDays(15), "640.50");
    String paid = add("paid", acme, today.minusDays(60), today.minusDays(30), "300.00");
    org.pay(paid, new BigDecimal("300.00"), today.minusDays(31), "Bank transfer");
    String dueSoon = add("due-soon", acme, today.minusDays(8), today.plusDays(6), "75.25");
    // A credit note with credit left, part of it allocated: 150.00, 50.00 of it to due-soon.
    String credit =
        org.creditNoteFor(acme, new BigDecimal("150.00"), today.minusDays(12), "Returned pallets");
    org.allocate(credit, dueSoon, new BigDecimal("50.00"), today.minusDays(7));
    var cn = org.credit(credit);
    creditNotes.put(
        "open",
        Json.MAPPER
            .createObjectNode()
            .put("id", credit)
            .put("number", cn.number())
            .put("date", cn.date().toString()));
    String draft =
        org.createDraftInvoice(
            acme, "DRAFT-1", today.minusDays(4), today.plusDays(26), new BigDecimal("50.00"), null);
    record("draft", draft);
    String voided = add("voided", acme, today.minusDays(20), today.plusDays(10), "80.00");
    org.voidInvoice(voided);
    add("globex", globex, today.minusDays(10), today.plusDays(20), "5400.00");
    // More invoices than a page holds (100), one of them numbered with a space.
    String initech = org.createContact("Initech Pty");
    record(
        "spaced",
        org.createAuthorisedInvoice(
            initech,
            "ORC 1001",
            "Q3 retainer",
            today.minusDays(5),
            today.plusDays(25),
            new BigDecimal("99.00")));
    for (int i = 1; i < MANY; i++) {
      org.createAuthorisedInvoice(
          initech, today.minusDays(10 + i), today.plusDays(30), new BigDecimal(20 + i + ".00"));
    }
    for (int i = 0; i < bulk; i++) {
      org.createAuthorisedInvoice(
          acme, today.minusDays(100 + i), today.plusDays(30), new BigDecimal(10 + i + ".00"));
    }
    northwind = stack.xero().createOrganisation("Northwind Traders Ltd");
    stack.connect(org);
    connections =
        new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
    awaitConnected();
    apiKey = stack.issueApiKey(tenantId, "panel").secret();
    crm =
        DemoCrm.start(
            0,
            stack.apiUrl(),
            apiKey,
            tenantId,
            Map.of(
                "contact/crm-acme", "Acme Widgets Ltd",
                "deal/deal-globex", "Globex renewal",
                "deal/deal-empty", "New prospect",
                "contact/crm-many", "Initech Pty"),
            pollMs);
    call("POST", "/records/contact/crm-acme/links", "{\"contactId\":\"" + acme + "\"}");
    call("POST", "/records/deal/deal-globex/links", "{\"contactId\":\"" + globex + "\"}");
    call("POST", "/records/contact/crm-many/links", "{\"contactId\":\"" + initech + "\"}");
    call("POST", "/panel-origins", "{\"origin\":\"" + crm.origin() + "\"}");
    awaitCreditNotes();
    crm.withIntegrations(
        new DemoCrm.Integrations(
            "crm-demo", stack.adminApiKey(), t -> stack.issueApiKey(t, "settings").secret()));
    control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    control.createContext("/", this::control);
    control.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    control.start();
  }

  private String add(String key, String contact, LocalDate date, LocalDate due, String total) {
    String id = org.createAuthorisedInvoice(contact, date, due, new BigDecimal(total));
    record(key, id);
    return id;
  }

  private void record(String key, String id) {
    var inv = org.invoice(id).invoice();
    invoices.put(
        key,
        Json.MAPPER
            .createObjectNode()
            .put("id", id)
            .put("number", inv.invoiceNumber())
            .put("date", inv.date().toString())
            .put("due", inv.dueDate().toString()));
  }

  String call(String method, String path, String body) throws Exception {
    return call(method, stack.apiUrl() + "/tenants/" + tenantId + path, apiKey, body);
  }

  /** One call to the API with a tenant's key; an answer of 300 or more throws. */
  static String call(String method, String url, String apiKey, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("x-api-key", apiKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + r.body());
    }
    return r.body();
  }

  /**
   * The initial sync reads invoices, which know a credit note only by its id: the stage runs the
   * reconcile sweep, which reads credit notes, and waits for Acme's to count in its totals.
   */
  private void awaitCreditNotes() throws Exception {
    stack.schedules().fire("ReconcileFunction");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      var totals = Json.MAPPER.readTree(call("GET", "/contacts/" + acme + "/totals", ""));
      if (totals.path("totals").path(0).path("creditNotes").path("available").path("count").asInt()
          == creditNotes.size()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the reconcile sweep did not store Acme's credit note in 60 s");
  }

  private void awaitConnected() throws InterruptedException {
    awaitConnected(tenantId);
  }

  private void awaitConnected(String tenantId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      var c = connections.get(tenantId);
      if (c.isPresent() && c.get().status() == ConnectionStatus.CONNECTED) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("initial sync did not finish within 180 s (a loaded machine)");
  }

  URI controlUrl() {
    return URI.create("http://127.0.0.1:" + control.getAddress().getPort());
  }

  /**
   * What the browser script asks for: a new invoice or a payment in the simulated Xero, or the
   * connection in a given state.
   */
  private void control(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String query = x.getRequestURI().getQuery();
      ObjectNode out = Json.MAPPER.createObjectNode();
      LocalDate today = LocalDate.now(org.timezone());
      // ?tenant= picks the organisation a status change is for (default: the panel's).
      String tenantId =
          query != null && query.startsWith("tenant=") ? query.substring(7) : this.tenantId;
      switch (path) {
        case "/await-connected" -> {
          try {
            awaitConnected(tenantId);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        case "/new-invoice" -> {
          String id =
              org.createAuthorisedInvoice(
                  acme, today, today.plusDays(30), new BigDecimal("123.45"));
          out.put("id", id).put("number", org.invoice(id).invoice().invoiceNumber());
        }
        case "/socket/down" -> stack.webSocketApi().outage(true);
        case "/socket/up" -> stack.webSocketApi().outage(false);
        case "/socket/count" -> out.put("open", stack.webSocketApi().connections().size());
        case "/socket/hold" -> stack.webSocketApi().hold(true);
        case "/socket/release" -> stack.webSocketApi().hold(false);
        case "/socket/lose-notices" -> stack.webSocketApi().loseNotices(true);
        case "/socket/keep-notices" -> stack.webSocketApi().loseNotices(false);
        case "/online-invoice-calls" -> out.put("calls", stack.xero().onlineInvoiceCalls(tenantId));
        case "/pay" -> {
          Map<String, String> q = new LinkedHashMap<>();
          for (String pair : query.split("&")) {
            q.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
          }
          String id = q.get("invoice");
          BigDecimal amount =
              q.containsKey("amount")
                  ? new BigDecimal(q.get("amount"))
                  : org.invoice(id).amountDue();
          org.pay(id, amount, today, q.getOrDefault("reference", "Paid in full"));
          out.put("id", id);
        }
        case "/status/SYNCING_RECENT" ->
            // Ten minutes in: 400 of the last 12 months' 1,000 invoices, history's 1,000 waiting.
            initialSyncAt(
                tenantId,
                Connection.InitialSync.Phase.RECENT,
                new Connection.Counts(400, 1_000, 0, 1_000, 0, 0),
                null,
                ConnectionStatus.SYNCING);
        case "/status/SYNCING" ->
            // Ten minutes in, 42 % in all: the last 12 months (1,000) done, history 3,200 of 9,000
            // older invoices and no contacts; 5,800 left at 4,200 per ten minutes is 14 minutes.
            initialSyncAt(
                tenantId,
                Connection.InitialSync.Phase.OLDER,
                new Connection.Counts(1_000, 1_000, 3_200, 9_000, 0, 0),
                null,
                ConnectionStatus.SYNCING);
        case "/status/RATE_LIMITED" ->
            connections.setStatus(
                tenantId,
                ConnectionStatus.RATE_LIMITED,
                "Xero's daily limit is spent",
                Instant.now().plus(Duration.ofHours(2)));
        case "/status/NEEDS_RECONNECT" ->
            connections.setStatus(
                tenantId,
                ConnectionStatus.NEEDS_RECONNECT,
                "Xero refused the refresh token: the connection was revoked in Xero.",
                null);
        case "/status/CONNECTED" -> {
          initialSyncAt(
              tenantId,
              Connection.InitialSync.Phase.DONE,
              new Connection.Counts(1_000, 1_000, 1_000, 1_000, 0, 0),
              Instant.now(),
              ConnectionStatus.CONNECTED);
          connections.setStatus(tenantId, ConnectionStatus.CONNECTED, null, null);
        }
        default -> {
          x.sendResponseHeaders(404, -1);
          return;
        }
      }
      byte[] b = out.toString().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    } catch (RuntimeException e) {
      x.sendResponseHeaders(500, -1);
    }
  }

  /**
   * Saves the tenant's initial sync as its worker would at {@code phase}: started ten minutes ago,
   * the last 12 months done three minutes later unless still running.
   */
  private void initialSyncAt(
      String tenantId,
      Connection.InitialSync.Phase phase,
      Connection.Counts counts,
      @Nullable Instant finishedAt,
      ConnectionStatus status) {
    Instant started = Instant.now().minus(Duration.ofMinutes(10));
    connections.saveInitialSync(
        tenantId,
        connections.get(tenantId).orElseThrow().initialSync(),
        new Connection.InitialSync(
            phase,
            LocalDate.now(),
            0,
            1,
            counts,
            started,
            phase == Connection.InitialSync.Phase.RECENT ? null : started.plusSeconds(180),
            finishedAt),
        status);
  }

  /** What the node script needs to know, as one JSON document in its environment. */
  public ObjectNode scriptConfig(String mode, Path screenshots, boolean quick) throws Exception {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("mode", mode);
    c.put("quick", quick);
    c.put("chromium", chromium().orElseThrow());
    c.put("crm", crm.url().toString());
    c.put("api", stack.apiUrl().toString());
    c.put("tenant", tenantId);
    c.put("control", controlUrl().toString());
    c.put("screenshots", screenshots.toAbsolutePath().toString());
    c.set("invoices", Json.MAPPER.valueToTree(invoices));
    c.set("creditNotes", Json.MAPPER.valueToTree(creditNotes));
    c.put("many", MANY);
    c.putObject("contacts").put("acme", acme);
    c.put("northwind", northwind.tenantId());
    // A token for the standalone page, minted as a SaaS backend would.
    String minted =
        call("POST", "/panel-tokens", "{\"recordType\":\"contact\",\"recordId\":\"crm-acme\"}");
    c.put("pageToken", Json.MAPPER.readTree(minted).path("token").asText());
    return c;
  }

  /** Runs a node script of panel/test with the config; its output goes to this process's. */
  public int runNode(String script, ObjectNode config) throws Exception {
    return node(script, config);
  }

  /** {@link #runNode} for a test that builds a stage of its own. */
  static int node(String script, ObjectNode config) throws Exception {
    Files.createDirectories(Path.of(config.path("screenshots").asText()));
    ProcessBuilder pb =
        new ProcessBuilder("node", PANEL_DIR.resolve("test").resolve(script).toString())
            .directory(PANEL_DIR.toFile())
            .redirectErrorStream(true);
    pb.environment().put("PANEL_TEST", config.toString());
    Process p = pb.start();
    try (var in = p.getInputStream()) {
      in.transferTo(System.out);
    }
    return p.waitFor();
  }

  @Override
  public void close() {
    if (control != null) {
      control.stop(0);
    }
    crm.close();
    stack.close();
  }
}
