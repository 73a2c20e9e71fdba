package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.testsupport.SharedLocalAws;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroOrganisation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A disconnect with {@code ?purge=true} in the middle of a burst of sync writes (what
 * webhook-driven syncs in flight and queued make): once the writes that were in flight have
 * finished and the queued ones have run, nothing of the tenant is left but its connection and
 * registry entries. The writers run to completion before the check, so the test waits for no clock.
 */
class PurgeDuringWritesIntegrationTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final int WRITERS = 4;
  private static final int ROUNDS_BEFORE = 5;
  private static final int ROUNDS_AFTER = 10;

  private static DynamoDbClient dynamo;
  private static String table;

  @BeforeAll
  static void start() throws Exception {
    var aws = SharedLocalAws.get();
    dynamo = aws.dynamoDb();
    table = aws.resources().tableName("Table");
  }

  @Test
  void nothingOfThePurgedTenantLandsFromWritesInFlightOrQueued() throws Exception {
    String tenant = UUID.randomUUID().toString();
    var connections = new Connections(dynamo, table);
    connections.recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    connections.startInitialSync(
        tenant, Connection.InitialSync.start(NOW, LocalDate.of(2025, 12, 6)));

    CountDownLatch warmedUp = new CountDownLatch(WRITERS);
    CountDownLatch purged = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(
          pool.submit(
              () -> {
                for (int round = 0; round < ROUNDS_BEFORE; round++) {
                  syncRound(tenant, writer, round);
                }
                warmedUp.countDown();
                // Half of each writer's next rounds race the purge; the rest run after it (queued).
                for (int round = ROUNDS_BEFORE; round < ROUNDS_BEFORE + ROUNDS_AFTER; round++) {
                  if (round == ROUNDS_BEFORE + ROUNDS_AFTER / 2) {
                    await(purged);
                  }
                  syncRound(tenant, writer, round);
                }
                return null;
              }));
    }
    assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
    // What DisconnectHandler does, in its order.
    connections.setStatus(tenant, ConnectionStatus.DISCONNECTED, "Disconnected by test.", null);
    connections.recordDisconnected(tenant, "test", NOW);
    new TenantPurge(dynamo, table).purge(tenant);
    purged.countDown();
    for (var f : writers) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // A sync that fails after the purge must not reopen the tenant to writes.
    connections.setStatus(tenant, ConnectionStatus.NEEDS_RECONNECT, "Xero refused access.", null);
    syncRound(tenant, 99, 99);

    assertThat(itemsOf(tenant))
        .extracting(item -> item.get("pk").s() + " " + item.get("sk").s())
        .containsExactlyInAnyOrder(
            Keys.tenantPk(tenant) + " " + Keys.CONNECTION_SK,
            Keys.TENANTS_PK + " " + Keys.tenantsSk(tenant),
            Keys.saasPk("saas-1") + " " + Keys.saasConnectionSk(tenant));
    assertThat(connections.get(tenant).orElseThrow().status())
        .isEqualTo(ConnectionStatus.DISCONNECTED);
  }

  /**
   * One sync's writes: a page of invoices, one invoice, a contact, a credit, org facts, settings.
   */
  private static void syncRound(String tenant, int writer, int round) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    var invoices = new InvoiceStore(dynamo, table, clock);
    String contact = "c-" + writer;
    List<dev.xerosync.xero.XeroInvoice> page = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      page.add(
          Invoices.authorised(
              UUID.randomUUID().toString(),
              contact,
              LocalDate.of(2026, 11, 1),
              LocalDate.of(2026, 12, 1),
              "100",
              "0"));
    }
    invoices.upsertAll(tenant, page);
    invoices.upsert(
        tenant,
        Invoices.authorised(
            UUID.randomUUID().toString(),
            contact,
            LocalDate.of(2026, 11, 1),
            LocalDate.of(2026, 12, 1),
            "7",
            "0"));
    new ContactStore(dynamo, table)
        .upsert(
            tenant,
            new XeroContact(
                contact, "Contact", "ACTIVE", true, false, null, NOW.plusSeconds(round)));
    new CreditStore(dynamo, table)
        .upsert(
            tenant,
            new XeroCredit(
                XeroAllocation.Kind.CREDIT_NOTE,
                UUID.randomUUID().toString(),
                "CN-" + round,
                null,
                "ACCRECCREDIT",
                "AUTHORISED",
                contact,
                null,
                LocalDate.of(2026, 11, 1),
                "NZD",
                BigDecimal.TEN,
                BigDecimal.TEN,
                NOW,
                List.of()));
    new Connections(dynamo, table)
        .putOrganisation(
            tenant,
            new XeroOrganisation("Org", "!abc", "NZST", ZoneId.of("Pacific/Auckland"), "NZD"));
    var operations = new Operations(dynamo, table);
    operations.putAccountingSettings(tenant, "{\"round\":" + round + "}");
    operations.putXeroReference(tenant, "{}");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no purge");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every item naming the tenant, in its keys or in its tenantId attribute (Scan: test only). */
  private static List<Map<String, AttributeValue>> itemsOf(String tenant) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    dynamo
        .scanPaginator(s -> s.tableName(table).consistentRead(true))
        .items()
        .forEach(
            item -> {
              String pk = item.get("pk").s();
              String sk = item.get("sk").s();
              if (pk.contains(tenant)
                  || sk.contains(tenant)
                  || tenant.equals(ItemCodec.str(item, "tenantId"))) {
                items.add(item);
              }
            });
    return items;
  }
}
