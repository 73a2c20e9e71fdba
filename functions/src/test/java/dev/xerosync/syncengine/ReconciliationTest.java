package dev.xerosync.syncengine;

import static dev.xerosync.syncengine.FakeXero.invoice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.xerosync.common.Json;
import dev.xerosync.store.Connection;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
  private static final String TENANT = "tenant-1";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final Instant WATERMARK = NOW.minus(Duration.ofHours(1));

  private final FakeXero xero = new FakeXero();
  private final FakeRecords store = new FakeRecords();
  private final List<Duration> slept = new ArrayList<>();

  private void sweep() throws SyncFailure {
    TenantReads reads = xero.reads(slept);
    InvoiceSync invoices = new InvoiceSync(reads, store, store, new SetAsideWrites(store));
    new Reconciliation(
            reads,
            invoices,
            new CreditSync(reads, store, invoices),
            store,
            store,
            Clock.fixed(NOW, ZoneOffset.UTC))
        .sweep(TENANT, "c");
  }

  private void connected(ConnectionStatus status) {
    store.connections.put(
        TENANT,
        new Connection(
            TENANT, status, null, null, null, WATERMARK, WATERMARK, WATERMARK, NOW, WATERMARK));
  }

  private Connection connection() {
    return store.connections.get(TENANT);
  }

  @Test
  void itReadsBackAnOverlapBeforeEachWatermarkAndMovesItToTheNewestChangeSeen() throws SyncFailure {
    connected(ConnectionStatus.CONNECTED);
    Instant late = WATERMARK.minus(Duration.ofMinutes(2)); // stamped late, inside the overlap
    Instant newest = WATERMARK.plus(Duration.ofMinutes(20));
    xero.invoices.add(invoice("late", late));
    xero.invoices.add(invoice("new", newest));
    xero.invoices.add(invoice("old", WATERMARK.minus(Duration.ofMinutes(10))));

    sweep();

    Instant from = WATERMARK.minus(Reconciliation.OVERLAP);
    assertThat(xero.calls)
        .contains(
            "invoicesModifiedSince since=" + from + " where=null page=1",
            "paymentsModifiedSince since=" + from + " page=1",
            "contactsModifiedSince since=" + from + " page=1");
    assertThat(store.invoices).containsOnlyKeys("late", "new");
    assertThat(connection().invoicesSince()).isEqualTo(newest);
    assertThat(connection().paymentsSince()).as("nothing newer seen").isEqualTo(WATERMARK);
    assertThat(connection().lastReconciledAt()).isEqualTo(NOW);
    assertThat(xero.calls).as("organisation read within the day").noneMatch("organisation"::equals);
  }

  /** An invoice last changed days ago, and a payment on it made now. */
  private void anInvoicePaidSinceTheWatermark() throws Exception {
    xero.invoices.add(invoice("paid", WATERMARK.minus(Duration.ofDays(3))));
    xero.payments.add(
        Json.MAPPER.readTree(
            "{\"PaymentID\":\"p1\",\"UpdatedDateUTC\":\"/Date("
                + NOW.toEpochMilli()
                + "+0000)/\","
                + "\"Invoice\":{\"InvoiceID\":\"paid\"}}"));
  }

  @Test
  void aPaymentOnAnInvoiceTheSweepDidNotSeeReadsThatInvoiceAgain() throws Exception {
    connected(ConnectionStatus.CONNECTED);
    anInvoicePaidSinceTheWatermark();

    sweep();

    assertThat(xero.calls).contains("invoicesByIds [paid]");
    assertThat(store.invoices).containsOnlyKeys("paid");
    assertThat(connection().paymentsSince()).isEqualTo(NOW);
  }

  @Test
  void aSweepThatFindsOnlyWhatWebhooksBroughtIsClean() throws SyncFailure {
    connected(ConnectionStatus.CONNECTED);
    XeroInvoice delivered = invoice("delivered", WATERMARK.plus(Duration.ofMinutes(20)));
    xero.invoices.add(delivered);
    store.upsert(TENANT, delivered);

    sweep();

    assertThat(store.sweeps).containsExactly(TENANT + " clean");
  }

  @Test
  void aSweepThatStoresAChangeNoWebhookBroughtIsNotClean() throws SyncFailure {
    connected(ConnectionStatus.CONNECTED);
    XeroInvoice stored = invoice("missed", WATERMARK.minus(Duration.ofDays(1)));
    store.upsert(TENANT, stored);
    xero.invoices.add(invoice("missed", WATERMARK.plus(Duration.ofMinutes(20))));

    sweep();

    assertThat(store.sweeps).containsExactly(TENANT + " missed");
  }

  @Test
  void aSweepThatReadsAPaymentIsNotClean() throws Exception {
    connected(ConnectionStatus.CONNECTED);
    anInvoicePaidSinceTheWatermark();

    sweep();

    assertThat(store.sweeps).as("payments have no webhooks").containsExactly(TENANT + " missed");
  }

  @Test
  void aRateLimitedTenantIsSweptAndConnectedAgain() throws SyncFailure {
    connected(ConnectionStatus.RATE_LIMITED);

    sweep();

    assertThat(connection().status()).isEqualTo(ConnectionStatus.CONNECTED);
  }

  @Test
  void aTenantNotConnectedIsNotSwept() throws SyncFailure {
    connected(ConnectionStatus.NEEDS_RECONNECT);

    sweep();

    assertThat(xero.calls).isEmpty();
  }

  @Test
  void anExpiredTokenIsRefreshedOnce() throws SyncFailure {
    connected(ConnectionStatus.CONNECTED);
    xero.invoices.add(invoice("a", NOW));
    xero.failures.add(401);

    sweep();

    assertThat(xero.tokens.refreshes).isEqualTo(1);
    assertThat(xero.tokensUsed.subList(0, 2)).containsExactly("token-1", "token-2");
    assertThat(store.invoices).containsOnlyKeys("a");
  }

  @Test
  void aFailedSweepMovesNoWatermark() {
    connected(ConnectionStatus.CONNECTED);
    xero.invoices.add(invoice("a", NOW));
    xero.failures.add(200); // invoices
    for (int i = 0; i < TenantReads.MAX_ATTEMPTS; i++) {
      xero.failures.add(500); // payments
    }

    SyncFailure f = catchThrowableOfType(SyncFailure.class, this::sweep);

    assertThat(f.kind()).isEqualTo(SyncFailure.Kind.TRANSIENT);
    assertThat(xero.calls(("paymentsModifiedSince"))).isEqualTo(TenantReads.MAX_ATTEMPTS);
    assertThat(slept).hasSize(TenantReads.MAX_ATTEMPTS - 1);
    assertThat(store.invoices).as("stored as read").containsOnlyKeys("a");
    assertThat(connection().invoicesSince()).isEqualTo(WATERMARK);
    assertThat(store.writes).doesNotContain("watermarks");
  }

  @Test
  void aRateLimitOrAForbiddenTenantStopsTheSweepAtOnce() {
    connected(ConnectionStatus.CONNECTED);
    xero.failures.add(429);
    assertThat(catchThrowableOfType(SyncFailure.class, this::sweep).kind())
        .isEqualTo(SyncFailure.Kind.RATE_LIMITED);
    xero.failures.add(403);
    assertThat(catchThrowableOfType(SyncFailure.class, this::sweep).kind())
        .isEqualTo(SyncFailure.Kind.RECONNECT_NEEDED);

    assertThat(xero.calls).hasSize(2);
    assertThat(store.writes).isEmpty();
  }
}
