package dev.xerosync.infra.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * {@code ./dev up}: the whole system on this machine with a demo organisation, then a short demo of
 * changes made in the simulated Xero arriving in the query API, then serving until Ctrl-C.
 */
public final class Demo {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String apiKey;

  /** The terminal, captured before the functions' output is sent to the log file. */
  private static final PrintStream OUT = System.out;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    boolean exitAfterDemo = List.of(args).contains("--exit-after-demo");
    boolean verbose = List.of(args).contains("--verbose");
    Path logFile =
        Path.of(System.getenv().getOrDefault("DEV_UP_LOG", "target/dev-up/functions.log"))
            .toAbsolutePath();
    FunctionLogs.redirect(logFile, verbose ? OUT : null);
    try {
      run(exitAfterDemo, logFile, verbose);
    } catch (Exception | Error e) {
      OUT.println("\n./dev up failed: " + e + " (details in " + logFile + ")");
      e.printStackTrace(OUT);
      System.exit(1);
    }
  }

  private static void run(boolean exitAfterDemo, Path logFile, boolean verbose) throws Exception {
    long started = System.nanoTime();
    int apiPort = Integer.parseInt(System.getenv().getOrDefault("API_PORT", "3000"));
    int simPort = Integer.parseInt(System.getenv().getOrDefault("XERO_SIM_PORT", "4010"));
    LocalStack stack = LocalStack.start(LocalStack.Options.defaults().withPorts(apiPort, simPort));
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
    OUT.printf("%nlocal stack up in %.1f s%n", (System.nanoTime() - started) / 1e9);
    OUT.println("  query API       " + stack.apiUrl());
    OUT.println("  webhook URL     " + stack.webhookUrl());
    OUT.println("  Xero simulator  " + stack.xero().baseUrl());
    OUT.println(
        "  function logs   "
            + logFile
            + (verbose ? " (also shown here)" : " (./dev up --verbose shows them here)"));

    SimOrganisation org = stack.xero().createOrganisation("Demo Company (Local)");
    LocalDate today = LocalDate.now();
    String acme = org.createContact("Acme Widgets Ltd");
    String globex = org.createContact("Globex Corporation");
    String initech = org.createContact("Initech");
    String open =
        org.createAuthorisedInvoice(
            acme, today.minusDays(5), today.plusDays(25), new BigDecimal("1200.00"));
    String overdue =
        org.createAuthorisedInvoice(
            acme, today.minusDays(45), today.minusDays(15), new BigDecimal("640.50"));
    String settled =
        org.createAuthorisedInvoice(
            acme, today.minusDays(60), today.minusDays(30), new BigDecimal("300.00"));
    org.pay(settled, new BigDecimal("300.00"), today.minusDays(31), "Bank transfer");
    org.createAuthorisedInvoice(
        acme, today.minusMonths(14), today.minusMonths(13), new BigDecimal("99.00"));
    org.createAuthorisedInvoice(
        globex, today.minusDays(10), today.plusDays(20), new BigDecimal("5400.00"));
    org.createAuthorisedInvoice(
        initech, today.minusDays(2), today.plusDays(12), new BigDecimal("75.25"));

    // The demo SaaS tenant owns the organisation and subscribes a receiver to every event type.
    DemoEvents events = DemoEvents.start(stack, org.tenantId(), org.name(), OUT);
    Runtime.getRuntime().addShutdownHook(new Thread(events::close));
    long connectStarted = System.nanoTime();
    stack.connect(org);
    Connections connections =
        new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
    awaitConnected(connections, org.tenantId());
    OUT.printf(
        "%nconnected \"%s\" (tenant %s): initial sync done in %.1f s%n",
        org.name(), org.tenantId(), (System.nanoTime() - connectStarted) / 1e9);

    // The query API takes a key issued for the tenant by ApiKeyAdminFunction's "create".
    apiKey = stack.issueApiKey(org.tenantId(), "demo").secret();
    String base = stack.apiUrl() + "/tenants/" + org.tenantId();
    DemoCrm crm =
        DemoCrm.startForDemo(stack.apiUrl(), apiKey, org.tenantId(), acme, "Acme Widgets Ltd");
    OUT.println(
        "\nInvoice panel on the demo contact (a small CRM page; it updates live):\n  "
            + crm.recordUrl("contact", "crm-acme"));
    OUT.println("\nTry:");
    OUT.println("  export XS_KEY=" + apiKey);
    String curl = "  curl -s -H \"x-api-key: $XS_KEY\" '" + base;
    OUT.println(
        curl + "/contacts/" + acme + "/invoices?limit=10'                 # open (default view)");
    OUT.println(curl + "/contacts/" + acme + "/invoices?view=overdue'");
    OUT.println(
        curl
            + "/contacts/"
            + acme
            + "/invoices?view=all&number=INV-00'   # search by number prefix");
    OUT.println(
        curl
            + "/contacts/"
            + acme
            + "/totals'                            # paid and unpaid, with counts");
    OUT.println(curl + "/contacts/" + acme + "/aging'");
    OUT.println(
        curl
            + "/aging'                                                   # the whole organisation");
    OUT.println(
        curl
            + "/invoices/"
            + open
            + "'                                   # instalments and credits");
    SimulatorTokens.print(OUT, stack, org.tenantId());

    OUT.println("\nChanges in the simulated Xero, and when the query API shows them:");
    URI acmeInvoices = URI.create(base + "/contacts/" + acme + "/invoices?limit=50");
    long t = System.nanoTime();
    String fresh =
        org.createAuthorisedInvoice(acme, today, today.plusDays(30), new BigDecimal("450.00"));
    await(acmeInvoices, body -> contains(body, fresh));
    report("new invoice for Acme", t);

    URI openUrl = URI.create(base + "/invoices/" + open);
    t = System.nanoTime();
    org.pay(open, new BigDecimal("400.00"), today, "Instalment 1 of 3");
    await(openUrl, body -> body.path("instalments").size() == 1);
    report("first instalment on " + open.substring(0, 8) + "…", t);

    t = System.nanoTime();
    org.pay(open, new BigDecimal("800.00"), today, "Instalments 2 and 3");
    await(openUrl, body -> "PAID".equals(body.path("status").asText()));
    report("invoice paid off", t);

    URI overdueUrl = URI.create(base + "/invoices/" + overdue);
    t = System.nanoTime();
    org.voidInvoice(overdue);
    await(overdueUrl, body -> "VOIDED".equals(body.path("status").asText()));
    report("overdue invoice voided", t);

    writeBack(base, acme, today);

    if (exitAfterDemo) {
      stack.close();
      System.exit(0);
    }
    Thread.ofVirtual().start(() -> liveChanges(org, acme));
    OUT.println(
        "\nServing. Every 30 s the demo changes Acme's invoices in the simulated Xero; watch the panel at "
            + crm.recordUrl("contact", "crm-acme")
            + " . Ctrl-C stops.");
    new CountDownLatch(1).await();
  }

  /**
   * The write side: the set-up, an invoice pushed from the product, and "mark paid", each through
   * the write API, with when its operation SUCCEEDED and when the query API showed it.
   */
  private static void writeBack(String base, String acme, LocalDate today) throws Exception {
    OUT.println("\nWrite-back: the product pushes an invoice into Xero and marks it paid:");
    long t = System.nanoTime();
    JsonNode setup =
        write("PUT", base + "/settings/accounting", "{\"paymentAccountCode\":\"090\"}");
    report("accounting set-up " + setup.path("state").asText(), t);
    String order = "demo-order-1001";
    t = System.nanoTime();
    JsonNode pushed =
        write(
            "PUT",
            base + "/invoices/" + order,
            "{\"contact\":{\"xeroContactId\":\""
                + acme
                + "\"},\"status\":\"AUTHORISED\",\"reference\":\"Order 1001\",\"dueDate\":\""
                + today.plusDays(14)
                + "\",\"lineItems\":[{\"description\":\"Widgets\",\"quantity\":3,"
                + "\"unitAmount\":40,\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}");
    String invoiceId = pushed.path("xero").path("invoiceId").asText();
    report("invoice " + order + " pushed: " + pushed.path("state").asText(), t);
    await(URI.create(base + "/invoices/" + invoiceId), body -> body.has("status"));
    report("  ... and shown by the query API", t);
    t = System.nanoTime();
    JsonNode paid =
        write(
            "POST",
            base + "/invoices/" + order + "/payments",
            "{\"paymentId\":\"demo-payment-1001\",\"amount\":120}");
    report("marked paid: payment " + paid.path("state").asText(), t);
    await(
        URI.create(base + "/invoices/" + invoiceId),
        body -> "PAID".equals(body.path("status").asText()));
    report("  ... and shown PAID by the query API", t);
    OUT.println(
        "  curl -s -H \"x-api-key: $XS_KEY\" '"
            + base
            + "/operations/"
            + paid.path("operationId").asText()
            + "'   # the payment's operation");
  }

  /** Sends one write and waits for its operation to end; returns the operation. */
  private static JsonNode write(String method, String url, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("x-api-key", apiKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("write refused: " + r.statusCode() + " " + r.body());
    }
    String operationId = Json.MAPPER.readTree(r.body()).path("operationId").asText();
    String tenantBase = url.substring(0, url.indexOf('/', url.indexOf("/tenants/") + 9));
    return await(
        URI.create(tenantBase + "/operations/" + operationId),
        op ->
            List.of("SUCCEEDED", "FAILED", "NEEDS_ATTENTION").contains(op.path("state").asText()));
  }

  /** Keeps the open panel moving: a new invoice for Acme, then a payment on it, every 30 s. */
  private static void liveChanges(SimOrganisation org, String acme) {
    try {
      for (int i = 1; ; i++) {
        Thread.sleep(30_000);
        LocalDate today = LocalDate.now(org.timezone());
        String id =
            org.createAuthorisedInvoice(
                acme, today, today.plusDays(14), new BigDecimal(i * 25 + ".00"));
        OUT.println(
            "  live: new invoice " + org.invoice(id).invoice().invoiceNumber() + " for Acme");
        Thread.sleep(30_000);
        org.pay(id, new BigDecimal(i * 10 + ".00"), today, "Instalment 1");
        OUT.println("  live: instalment paid on " + org.invoice(id).invoice().invoiceNumber());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      OUT.println("  live changes stopped: " + e);
    }
  }

  private static void awaitConnected(Connections connections, String tenantId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      var c = connections.get(tenantId);
      if (c.isPresent() && c.get().status() == ConnectionStatus.CONNECTED) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the demo organisation's initial sync did not finish within 60 s");
  }

  private static boolean contains(JsonNode body, String invoiceId) {
    for (JsonNode i : body.path("invoices")) {
      if (invoiceId.equals(i.path("invoiceId").asText())) {
        return true;
      }
    }
    return false;
  }

  private static void report(String change, long startedNanos) {
    OUT.printf(
        "  %-40s visible after %4d ms%n", change, (System.nanoTime() - startedNanos) / 1_000_000);
  }

  private static JsonNode await(URI url, Predicate<JsonNode> arrived) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(url).header("x-api-key", apiKey).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode body = Json.MAPPER.readTree(r.body());
        if (arrived.test(body)) {
          return body;
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the change did not reach " + url + " within 20 s");
  }
}
