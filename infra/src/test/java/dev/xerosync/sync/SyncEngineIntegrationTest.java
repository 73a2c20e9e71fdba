package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.InvoiceStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
