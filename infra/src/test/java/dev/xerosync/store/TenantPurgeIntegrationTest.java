package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.testsupport.RequestCounter;
import dev.xerosync.testsupport.SharedLocalAws;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Purging one tenant among several, against the DynamoDB stand-in with the table (and its ByTenant
 * index) created from template.yaml: every kind of item a tenant owns goes, the other tenants'
 * stay, and the purge finds them by Query, never by Scan.
 */
class TenantPurgeIntegrationTest {
  private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

  private static LocalAws aws;
  private static DynamoDbClient dynamo;
  private static String table;

  @BeforeAll
  static void start() throws Exception {
    aws = SharedLocalAws.get();
    dynamo = aws.dynamoDb();
    table = aws.resources().tableName("Table");
  }

  @Test
  void purgingATenantDeletesEveryItemItOwnsByQueryAndLeavesTheOthers() {
    String purged = UUID.randomUUID().toString();
    String kept = UUID.randomUUID().toString();
    // Every credential goes (issue #12): API keys and panel tokens. Enough invoices that every
    // shard of the index holds some, and a shard needs more than one
    // BatchWriteItem.
    writeEveryKind(purged, 120);
    writeEveryKind(kept, 5);
    var keptBefore = itemsOf(kept);
    int owned = owned(purged).size();
    assertThat(owned).as("what the purge is to delete").isGreaterThan(120);

    // Its own client, so that the requests counted are the purge's alone.
    var counter = new RequestCounter();
    int deleted = new TenantPurge(counter.client(aws), table).purge(purged);

    assertThat(owned(purged)).as("the purged tenant's items left behind").isEmpty();
    assertThat(deleted).isEqualTo(owned);
    assertThat(itemsOf(purged))
        .as("the connection stays, to show Disconnected")
        .extracting(item -> item.get("sk").s())
        .contains(Keys.CONNECTION_SK);
    assertThat(itemsOf(kept)).as("the other tenant's items").isEqualTo(keptBefore);
    assertThat(new ApiKeys(dynamo, table, Clock.systemUTC()).list(kept)).hasSize(1);
    assertThat(new PanelGrants(dynamo, table).get("hash-" + purged)).isEmpty();
    assertThat(new PanelGrants(dynamo, table).get("hash-" + kept)).isPresent();

    var calls = counter.operations();
    assertThat(calls).doesNotContain("Scan");
    long queries = calls.stream().filter("Query"::equals).count();
    long batches = calls.stream().filter("BatchWriteItem"::equals).count();
    assertThat(queries)
        .as("one Query per shard at least")
        .isGreaterThanOrEqualTo(Keys.TENANT_SHARDS);
    System.out.printf(
        "purge-items: %d items%npurge-queries: %d requests%npurge-batch-writes: %d requests%n",
        deleted, queries, batches);
  }

  /**
   * One of each kind of item a tenant owns (and its connection), with {@code invoices} invoices.
   */
  private static void writeEveryKind(String tenantId, int invoices) {
    var connections = new Connections(dynamo, table);
    connections.recordConnected(
        tenantId, "saas-" + tenantId, "Org", "a@example.com", "conn", "http://x", NOW);
    connections.putOrganisation(
        tenantId,
        new XeroOrganisation("Org", "!abc", "NEWZEALANDSTANDARDTIME", ZoneId.of("UTC"), "NZD"));
    var invoiceStore = new InvoiceStore(dynamo, table, Clock.systemUTC());
    String contactId = UUID.randomUUID().toString();
    List<XeroInvoice> batch = new ArrayList<>();
    for (int i = 0; i < invoices; i++) {
      batch.add(
          invoice(UUID.randomUUID().toString(), contactId, i % 2 == 0 ? "AUTHORISED" : "PAID"));
    }
    invoiceStore.upsertAll(tenantId, batch); // invoices, their views, totals and aging ledger
    new ContactStore(dynamo, table)
        .upsert(
            tenantId,
            new XeroContact(contactId, "Acme", "ACTIVE", true, false, "a@acme.test", NOW));
    var credits = new CreditStore(dynamo, table);
    String creditId = UUID.randomUUID().toString();
    credits.upsert(
        tenantId,
        new XeroCredit(
            XeroAllocation.Kind.CREDIT_NOTE,
            creditId,
            "CN-1",
            null,
            "ACCRECCREDIT",
            "AUTHORISED",
            contactId,
            null,
            LocalDate.of(2026, 10, 1),
            "NZD",
            new BigDecimal("10.00"),
            new BigDecimal("10.00"),
            NOW,
            List.of()));
    credits.rememberAllocation(
        tenantId, XeroAllocation.Kind.PREPAYMENT, UUID.randomUUID().toString(), "inv");
    credits.saveWatermark(tenantId, XeroAllocation.Kind.CREDIT_NOTE, NOW);
    var records = new RecordLinks(dynamo, table);
    var record = new RecordLinks.Record("deal", "d1");
    try {
      records.link(tenantId, record, contactId, "Acme", NOW);
      records.pin(tenantId, record, batch.get(0).invoiceId(), NOW);
    } catch (RecordLinks.TooManyLinks | dev.xerosync.common.Problem e) {
      throw new AssertionError(e);
    }
    new ApiKeys(dynamo, table, Clock.systemUTC()).create(tenantId, "ci");
    var operations = new Operations(dynamo, table);
    try {
      operations.create(
          tenantId, "op-1", "QUEUED", "{}", NOW, "key-hash", "body-hash", NOW.plusSeconds(3600));
    } catch (dev.xerosync.common.Problem e) {
      throw new AssertionError(e);
    }
    operations.putLink(tenantId, "invoice", "ext-1", "{}");
    var panel = new PanelGrants(dynamo, table);
    panel.put(
        "hash-" + tenantId,
        new PanelGrants.Grant(
            tenantId, "deal", "d1", "https://crm.test", NOW.plusSeconds(3600), "key-1"));
    try {
      panel.setOrigins(tenantId, List.of("https://crm.test"), NOW);
    } catch (dev.xerosync.common.Problem e) {
      throw new AssertionError(e);
    }
  }

  /** The keys of the tenant's items a purge must delete (read by Scan here, in the test only). */
  private static List<String> owned(String tenantId) {
    return scan().stream()
        .filter(
            item ->
                item.get("pk").s().startsWith(Keys.apiKeyPk(""))
                        || item.get("pk").s().startsWith(Keys.panelTokenPk(""))
                    ? tenantId.equals(ItemCodec.str(item, "tenantId"))
                    : Keys.purgedWithTenant(tenantId, item.get("pk").s(), item.get("sk").s()))
        .map(item -> item.get("pk").s() + " " + item.get("sk").s())
        .toList();
  }

  /** Every item naming the tenant, in its key or in its tenantId attribute. */
  private static List<Map<String, AttributeValue>> itemsOf(String tenantId) {
    return scan().stream()
        .filter(
            item ->
                item.get("pk").s().startsWith(Keys.tenantPk(tenantId))
                    || tenantId.equals(ItemCodec.str(item, "tenantId")))
        .sorted(
            java.util.Comparator.comparing(
                (Map<String, AttributeValue> item) ->
                    item.get("pk").s() + "|" + item.get("sk").s()))
        .toList();
  }

  private static List<Map<String, AttributeValue>> scan() {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    dynamo.scanPaginator(s -> s.tableName(table).consistentRead(true)).items().forEach(items::add);
    return items;
  }

  private static XeroInvoice invoice(String id, String contact, String status) {
    BigDecimal total = new BigDecimal("100.00");
    boolean paid = status.equals("PAID");
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 6),
        "ref",
        "ACCREC",
        status,
        contact,
        "Acme",
        LocalDate.of(2026, 10, 1),
        LocalDate.of(2026, 10, 31),
        "NZD",
        total,
        BigDecimal.ZERO,
        total,
        paid ? BigDecimal.ZERO : total,
        paid ? total : BigDecimal.ZERO,
        BigDecimal.ZERO,
        null,
        NOW,
        List.of(),
        List.of());
  }
}
