package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.InvoiceStore;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sync engine in the whole local stack, against the simulator's truth. */
class SyncEngineIntegrationTest {
  private static LocalStack stack;
  private static InvoiceStore store;
  private static Connections connections;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
    String table = stack.aws().resources().tableName("Table");
    store = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
    connections = new Connections(stack.aws().dynamoDb(), table);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @AfterEach
  void clearFaults() {
    stack.xero().faults().clear();
  }

  @Test
  void initialSyncBringsTheLast12MonthsFirstThenAllHistoryExactly() {
    SimOrganisation org = stack.xero().createOrganisation("History Ltd");
    org.generateHistory(7, 40, 2500, Instant.now());
    stack.connect(org);

    Connection done =
        await(
            () ->
                connections
                    .get(org.tenantId())
                    .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                    .orElse(null),
            Duration.ofSeconds(90),
            "initial sync to finish");

    assertThat(done.initialSync().percentDone()).isEqualTo(100);
    assertThat(done.initialSync().recentQueryableAt())
        .isNotNull()
        .isBefore(done.initialSync().finishedAt());
    assertThat(Convergence.differences(org, store)).isEmpty();
  }

  @Test
  void theSettingsPageSeesTheLast12MonthsThenHistoryMoveAndThenConnected() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Progress Ltd");
    // Two years of books: about 1,250 invoices in each range, so two pages of 1,000 in each.
    org.generateHistory(11, 40, 2500, Instant.now());
    // Every Xero call held a little, so each page's checkpoint stands long enough to be read.
    stack.xero().faults().slowResponses(1.0, Duration.ofMillis(300));
    stack.connect(org);
    String key = stack.issueApiKey(org.tenantId(), "progress").secret();
    HttpRequest get =
        HttpRequest.newBuilder(
                URI.create(stack.apiUrl() + "/tenants/" + org.tenantId() + "/settings/connection"))
            .header("x-api-key", key)
            .build();

    // What the settings page would show at each look, each change once.
    List<String> seen = new ArrayList<>();
    List<JsonNode> bodies = new ArrayList<>();
    JsonNode body = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      body = Json.MAPPER.readTree(r.body());
      String shown = body.path("status").asText();
      for (JsonNode p : body.path("initialSync").path("phases")) {
        shown +=
            " "
                + p.path("name").asText()
                + ":"
                + p.path("state").asText()
                + ":"
                + p.path("percentDone").asText();
      }
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(shown)) {
        seen.add(shown);
        bodies.add(body);
      }
      if ("CONNECTED".equals(body.path("status").asText())) {
        break;
      }
      Thread.sleep(100); // 10 looks a second, inside the tenant's 25 a second
    }

    assertThat(body.path("status").asText()).as("%s", seen).isEqualTo("CONNECTED");
    assertThat(seen)
        .as("the last 12 months part-way, then done with history part-way, then all done")
        .anyMatch(x -> x.matches("SYNCING RECENT:RUNNING:([1-9]|[1-9]\\d) HISTORY:WAITING:0"))
        .anyMatch(x -> x.matches("SYNCING RECENT:DONE:100 HISTORY:RUNNING:([1-9]|[1-9]\\d)"))
        .last()
        .isEqualTo("CONNECTED RECENT:DONE:100 HISTORY:DONE:100");
    JsonNode midway =
        bodies.stream()
            .filter(
                b -> b.path("initialSync").path("phases").get(0).path("percentDone").asInt() > 0)
            .findFirst()
            .orElseThrow();
    assertThat(midway.path("initialSync").path("phases").get(0).path("secondsLeft").isNumber())
        .as("an estimate once a page is copied: %s", midway)
        .isTrue();
    assertThat(Instant.parse(midway.path("initialSync").path("phases").get(1).path("eta").asText()))
        .as("history finishes after the last 12 months")
        .isAfter(
            Instant.parse(midway.path("initialSync").path("phases").get(0).path("eta").asText()));
    JsonNode phases = body.path("initialSync").path("phases");
    long invoices = org.invoices().size();
    assertThat(phases.get(0).path("done").asLong() + phases.get(1).path("done").asLong())
        .as("every invoice and contact copied once")
        .isEqualTo(invoices + org.contacts().size());
    assertThat(phases.get(0).path("total").asLong()).isEqualTo(phases.get(0).path("done").asLong());
  }

  @Test
  void reconciliationCatchesWhatMissingWebhooksLost() {
    SimOrganisation org = stack.xero().createOrganisation("Lossy Webhooks Ltd");
    String contact = org.createContact("Customer");
    LocalDate today = LocalDate.now();
    String a =
        org.createAuthorisedInvoice(
            contact, today.minusDays(3), today.plusDays(10), new BigDecimal("300.00"));
    String b =
        org.createAuthorisedInvoice(
            contact, today.minusDays(2), today.plusDays(10), new BigDecimal("80.00"));
    stack.connect(org);
    await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(30),
        "initial sync");

    stack.xero().faults().dropWebhooks(1.0);
    String payment = org.pay(a, new BigDecimal("100.00"), today, "lost webhook");
    org.pay(a, new BigDecimal("50.00"), today, "another");
    org.reversePayment(payment);
    org.creditNote(b, new BigDecimal("80.00"), today);
    String c =
        org.createAuthorisedInvoice(contact, today, today.plusDays(5), new BigDecimal("12.34"));
    stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(5));
    assertThat(store.get(org.tenantId(), c)).as("no webhook reached us").isEmpty();

    stack.schedules().fire("ReconcileFunction");

    await(
        () -> Convergence.differences(org, store).isEmpty() ? Boolean.TRUE : null,
        Duration.ofSeconds(30),
        "reconciliation");
    assertThat(store.get(org.tenantId(), b).orElseThrow().status()).isEqualTo("PAID");
    assertThat(store.get(org.tenantId(), a).orElseThrow().payments()).hasSize(1);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedAndTheSyncCarriesOn() {
    SimOrganisation org = stack.xero().createOrganisation("Expiring Tokens Ltd");
    String contact = org.createContact("Customer");
    stack.connect(org);
    await(
        () ->
            connections
                .get(org.tenantId())
                .filter(x -> x.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(30),
        "initial sync");

    stack.xero().clock().advance(Duration.ofMinutes(31));
    String invoice =
        org.createAuthorisedInvoice(
            contact, LocalDate.now(), LocalDate.now().plusDays(3), new BigDecimal("5.00"));

    await(
        () -> store.get(org.tenantId(), invoice).orElse(null),
        Duration.ofSeconds(15),
        "the invoice after a token refresh");
  }

  @Test
  void aDisconnectedOrganisationMarksTheConnectionForReconnectWithoutRetrying() {
    SimOrganisation org = stack.xero().createOrganisation("Disconnected Ltd");
    String contact = org.createContact("Customer");
    stack.connect(org);
    await(
        () ->
            connections
                .get(org.tenantId())
                .filter(x -> x.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(30),
        "initial sync");
    stack.xero().disconnect(LocalStack.CLIENT_ID, org.tenantId());

    org.createAuthorisedInvoice(
        contact, LocalDate.now(), LocalDate.now().plusDays(3), new BigDecimal("5.00"));

    Connection c =
        await(
            () ->
                connections
                    .get(org.tenantId())
                    .filter(x -> x.status() == ConnectionStatus.NEEDS_RECONNECT)
                    .orElse(null),
            Duration.ofSeconds(15),
            "the connection to need a reconnect");
    assertThat(c.statusReason()).contains("reconnect");
  }

  static <T> T await(Supplier<T> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }
}
