package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroOrganisation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every item kind the store writes for a tenant carries the purge index ({@link
 * Keys#TENANT_SHARD}), so a purge leaves only the connection and its registry entries; and once the
 * tenant is disconnected, none of its data writes lands.
 */
class TenantItemsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private final LocalTable table = LocalTable.get();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final String tenant = UUID.randomUUID().toString();

  @Test
  void everyItemKindOfATenantCarriesThePurgeIndexAndThePurgeRemovesThemAll() throws Exception {
    writeOneOfEveryKind();

    List<Map<String, AttributeValue>> owned = itemsOf(tenant);
    Set<String> kinds = new TreeSet<>();
    for (var item : owned) {
      String pk = item.get(Keys.PK).s();
      String sk = item.get(Keys.SK).s();
      if (kept(sk)) {
        continue;
      }
      kinds.add(kind(pk, sk));
      assertThat(item.get(Keys.TENANT_SHARD))
          .as("purge index of %s / %s", pk, sk)
          .isEqualTo(AttributeValue.fromS(Keys.tenantShard(tenant, pk)));
    }
    assertThat(kinds)
        .contains(
            "INVOICE",
            "CONTACT",
            "TOTALS",
            "AGING",
            "CREDIT",
            "CREDIT_WATERMARK",
            "ORGANISATION",
            "SETTINGS#ACCOUNTING",
            "XEROREF",
            "OPERATION",
            "IDEMPOTENCY",
            "EXTERNAL",
            "LINK",
            "COUNT#LINKS",
            "PIN",
            "APIKEY",
            "KEY",
            "PANELTOKEN",
            "PANELORIGINS",
            "BUDGET",
            "CHANGES",
            "REFRESH_LEASE",
            Keys.WRITE_BACKLOG_SK);

    new TenantPurge(table.dynamoDb(), table.name()).purge(tenant);

    assertThat(itemsOf(tenant))
        .allSatisfy(item -> assertThat(kept(item.get(Keys.SK).s())).isTrue())
        .isNotEmpty();
  }

  @Test
  void noDataWriteLandsOnceTheTenantIsDisconnected() {
    var connections = new Connections(table.dynamoDb(), table.name());
    connections.recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    connections.setStatus(tenant, ConnectionStatus.DISCONNECTED, "Disconnected by test.", null);

    writeOneOfEveryDataKind();
    // The panel's origins too: refused with 409, nothing written.
    assertThatThrownBy(
            () ->
                new PanelGrants(table.dynamoDb(), table.name())
                    .setOrigins(tenant, List.of("https://late.example"), NOW))
        .isInstanceOf(dev.xerosync.common.Problem.class)
        .hasMessageContaining("disconnected");
    // A sync failing after the disconnect must not lift the fence.
    connections.setStatus(tenant, ConnectionStatus.NEEDS_RECONNECT, "refused", null);

    assertThat(connections.get(tenant).orElseThrow().status())
        .isEqualTo(ConnectionStatus.DISCONNECTED);
    assertThat(itemsOf(tenant))
        .allSatisfy(item -> assertThat(kept(item.get(Keys.SK).s())).isTrue());
  }

  /**
   * The write API's operations and the sync's bookkeeping (rate budget, change-fetch record, items
   * set aside) are the tenant's too: the purge test through the stack (PurgeDuringBurstEnd2EndTest)
   * found operations and budgets written after a purge.
   */
  @Test
  void noOperationOrSyncBookkeepingLandsOnceTheTenantIsDisconnected() {
    var connections = new Connections(table.dynamoDb(), table.name());
    connections.recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    connections.setStatus(tenant, ConnectionStatus.DISCONNECTED, "Disconnected by test.", null);
    var operations = new Operations(table.dynamoDb(), table.name());

    for (String keyHash : java.util.Arrays.asList(null, "hash-" + id())) {
      assertThatThrownBy(
              () ->
                  operations.create(
                      tenant, id(), "QUEUED", "{}", NOW, keyHash, "body", NOW.plusSeconds(60)))
          .isInstanceOfSatisfying(
              dev.xerosync.common.Problem.class, p -> assertThat(p.status()).isEqualTo(409));
    }
    assertThatThrownBy(() -> operations.admit(tenant, 10))
        .isInstanceOfSatisfying(
            dev.xerosync.common.Problem.class, p -> assertThat(p.status()).isEqualTo(409));
    // A write in flight at the purge ends: its count is not made again.
    operations.backlogFinished(tenant);
    var budgets = new RateBudgets(table.dynamoDb(), table.name());
    assertThat(
            budgets.write(
                tenant, budgets.read(tenant), List.of(NOW.toEpochMilli()), "2026-12-06", 1, NOW))
        .as("a disconnected tenant's call goes ahead uncounted")
        .isTrue();
    budgets.block(tenant, "minute", NOW.plusSeconds(60));
    new ChangeFetches(table.dynamoDb(), table.name())
        .put(tenant, new ChangeFetches.ChangeFetch(NOW, 1, null, null));
    new SetAsideItems(table.dynamoDb(), table.name(), clock).put(tenant, "INVOICE", id(), "test");

    assertThat(itemsOf(tenant))
        .allSatisfy(item -> assertThat(kept(item.get(Keys.SK).s())).isTrue());
  }

  /**
   * A CRM record's links and pins are the tenant's data too: a link or pin call that arrives as the
   * tenant is disconnected, or after its purge, is refused and writes nothing.
   */
  @Test
  void noRecordLinkOrPinLandsOnceTheTenantIsDisconnected() throws Exception {
    var db = table.dynamoDb();
    var connections = new Connections(db, table.name());
    connections.recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    var links = new RecordLinks(db, table.name());
    var record = new RecordLinks.Record("deal", "d-1");
    String pinned = id();
    links.link(tenant, record, "c-1", "Contact", NOW);
    links.pin(tenant, record, pinned, NOW);
    connections.setStatus(tenant, ConnectionStatus.DISCONNECTED, "Disconnected by test.", null);

    // Linked or pinned already, before the purge: the relink's write is fenced too.
    assertRefused(() -> links.link(tenant, record, "c-1", "Contact Renamed", NOW));
    assertRefused(() -> links.pin(tenant, record, pinned, NOW));
    new TenantPurge(db, table.name()).purge(tenant);
    assertRefused(() -> links.link(tenant, record, "c-1", "Contact", NOW));
    assertRefused(() -> links.link(tenant, record, "c-2", "Other", NOW));
    assertRefused(() -> links.pin(tenant, record, pinned, NOW));
    assertRefused(() -> links.pin(tenant, record, id(), NOW));

    assertThat(itemsOf(tenant))
        .allSatisfy(item -> assertThat(kept(item.get(Keys.SK).s())).isTrue());
  }

  @Test
  void aRelinkAndARepinKeepTheFirstTimeAndCountOnce() throws Exception {
    var links = new RecordLinks(table.dynamoDb(), table.name());
    var record = new RecordLinks.Record("deal", "d-1");
    String invoice = id();

    assertThat(links.link(tenant, record, "c-1", "Contact", NOW).created()).isTrue();
    var relinked = links.link(tenant, record, "c-1", "Renamed", NOW.plusSeconds(60));
    assertThat(relinked.created()).isFalse();
    assertThat(relinked.linkedAt()).isEqualTo(NOW);
    assertThat(links.links(tenant, record))
        .singleElement()
        .satisfies(l -> assertThat(l.contactName()).isEqualTo("Renamed"));
    assertThat(links.pin(tenant, record, invoice, NOW).created()).isTrue();
    var repinned = links.pin(tenant, record, invoice, NOW.plusSeconds(60));
    assertThat(repinned.created()).isFalse();
    assertThat(repinned.pinnedAt()).isEqualTo(NOW);
    // One link counted: after its unlink, the record takes MAX_LINKS new ones.
    assertThat(links.unlink(tenant, record, "c-1")).isTrue();
    for (int i = 0; i < RecordLinks.MAX_LINKS; i++) {
      links.link(tenant, record, "c-" + (i + 10), null, NOW);
    }
    assertThatThrownBy(() -> links.link(tenant, record, "c-99", null, NOW))
        .isInstanceOf(RecordLinks.TooManyLinks.class);
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
    assertThatThrownBy(write)
        .isInstanceOfSatisfying(
            dev.xerosync.common.Problem.class, p -> assertThat(p.status()).isEqualTo(409));
  }

  @Test
  void aReconnectLiftsTheFence() {
    var connections = new Connections(table.dynamoDb(), table.name());
    connections.recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    connections.setStatus(tenant, ConnectionStatus.DISCONNECTED, "Disconnected by test.", null);
    connections.startInitialSync(
        tenant, Connection.InitialSync.start(NOW, LocalDate.of(2025, 12, 6)));

    var outcome =
        new InvoiceStore(table.dynamoDb(), table.name(), clock)
            .upsert(tenant, Invoices.authorised(id(), "c-1", day(), day(), "10", "0"));

    assertThat(outcome).isEqualTo(UpsertOutcome.CREATED);
  }

  /** Sync-side writes: what a worker in flight during a purge could still make. */
  private void writeOneOfEveryDataKind() {
    var db = table.dynamoDb();
    var t = table.name();
    new InvoiceStore(db, t, clock)
        .upsert(tenant, Invoices.authorised(id(), "c-1", day(), day().plusDays(30), "100", "0"));
    new InvoiceStore(db, t, clock)
        .upsertAll(
            tenant, List.of(Invoices.authorised(id(), "c-2", day(), day().plusDays(30), "5", "0")));
    new ContactStore(db, t)
        .upsert(tenant, new XeroContact("c-1", "Contact", "ACTIVE", true, false, null, NOW));
    var credits = new CreditStore(db, t);
    credits.upsert(
        tenant,
        new XeroCredit(
            XeroAllocation.Kind.CREDIT_NOTE,
            id(),
            "CN-1",
            null,
            "ACCRECCREDIT",
            "AUTHORISED",
            "c-1",
            null,
            day(),
            "NZD",
            BigDecimal.TEN,
            BigDecimal.TEN,
            NOW,
            List.of()));
    credits.rememberAllocation(tenant, XeroAllocation.Kind.OVERPAYMENT, id(), id());
    credits.saveWatermark(tenant, XeroAllocation.Kind.CREDIT_NOTE, NOW);
    new Connections(db, t)
        .putOrganisation(
            tenant,
            new XeroOrganisation("Org", "!abc", "NZST", ZoneId.of("Pacific/Auckland"), "NZD"));
    var operations = new Operations(db, t);
    operations.putAccountingSettings(tenant, "{}");
    operations.putXeroReference(tenant, "{}");
    operations.putLink(tenant, "invoice", "ext-1", "{}");
  }

  private void writeOneOfEveryKind() throws Exception {
    var db = table.dynamoDb();
    var t = table.name();
    new Connections(db, t)
        .recordConnected(tenant, "saas-1", "Org", "admin", "conn-1", "http://x", NOW);
    writeOneOfEveryDataKind();
    var operations = new Operations(db, t);
    operations.create(
        tenant, id(), "PENDING", "{}", NOW, "hash-" + id(), "body", NOW.plusSeconds(60));
    assertThat(operations.admit(tenant, 10)).isPresent();
    var record = new RecordLinks.Record("deal", "d-1");
    var links = new RecordLinks(db, t);
    links.link(tenant, record, "c-1", "Contact", NOW);
    links.pin(tenant, record, id(), NOW);
    new ApiKeys(db, t, clock).create(tenant, "key");
    var grants = new PanelGrants(db, t);
    grants.put(
        "hash-" + id(),
        new PanelGrants.Grant(tenant, "deal", "d-1", "aud", NOW.plusSeconds(60), "k1"));
    grants.setOrigins(tenant, List.of("https://app.example"), NOW);
    var budgets = new RateBudgets(db, t);
    budgets.write(tenant, budgets.read(tenant), List.of(NOW.toEpochMilli()), "2026-12-06", 1, NOW);
    budgets.block(tenant, "minute", NOW.plusSeconds(60));
    new ChangeFetches(db, t).put(tenant, new ChangeFetches.ChangeFetch(NOW, 1, null, null));
    new RefreshLease(db, t, clock).tryAcquire(tenant, "owner", Duration.ofSeconds(30));
  }

  private static boolean kept(String sk) {
    // The connection, its TENANTS registry entry and its SaaS tenant's entry describe the
    // connection and stay after a purge.
    return sk.equals(Keys.CONNECTION_SK)
        || sk.startsWith("T#")
        || sk.startsWith(Keys.SAAS_CONNECTION_SK_PREFIX);
  }

  /** The item's kind: what its keys say once the tenant and record ids are taken out. */
  private String kind(String pk, String sk) {
    if (sk.startsWith(Keys.TOTALS_SK_PREFIX)) {
      return "TOTALS";
    }
    if (pk.equals(Keys.agingPk(tenant))) {
      return "AGING";
    }
    if (pk.equals(Keys.creditWatermarkPk(tenant))) {
      return "CREDIT_WATERMARK";
    }
    if (sk.startsWith(Keys.LINK_SK_PREFIX)) {
      return "LINK";
    }
    if (sk.startsWith(Keys.PIN_SK_PREFIX)) {
      return "PIN";
    }
    if (sk.startsWith(Keys.API_KEY_ENTRY_SK_PREFIX)) {
      return "KEY";
    }
    return sk;
  }

  /** Every item of the tenant: keyed under it, or naming it (credentials looked up by hash). */
  private List<Map<String, AttributeValue>> itemsOf(String tenantId) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page =
          table
              .dynamoDb()
              .scan(
                  s -> {
                    s.tableName(table.name())
                        .filterExpression("contains(pk, :t) OR contains(sk, :t) OR tenantId = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)));
                    if (from != null) {
                      s.exclusiveStartKey(from);
                    }
                  });
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private static LocalDate day() {
    return LocalDate.of(2026, 11, 1);
  }
}
