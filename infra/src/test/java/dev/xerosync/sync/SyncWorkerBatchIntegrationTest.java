package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.ChangeFetches.ChangeFetch;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker handler given batches directly, as Lambda's SQS integration would hand them over. */
class SyncWorkerBatchIntegrationTest {
  private static LocalStack stack;
  private static InvoiceStore invoices;
  private static ContactStore contacts;
  private static Connections connections;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
    String table = stack.aws().resources().tableName("Table");
    invoices = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
    contacts = new ContactStore(stack.aws().dynamoDb(), table);
    connections = new Connections(stack.aws().dynamoDb(), table);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static SimOrganisation connected(String name) {
    SimOrganisation org = stack.xero().createOrganisation(name);
    stack.connect(org);
    SyncEngineIntegrationTest.await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(90),
        "initial sync");
    return org;
  }

  private static SQSEvent.SQSMessage message(String id, String group, String body) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(body);
    m.setAttributes(Map.of("MessageGroupId", group, "ApproximateReceiveCount", "1"));
    return m;
  }

  /** A CHANGES message as SQS hands it over, with when it was sent to the queue. */
  private static SQSEvent.SQSMessage changes(
      String id, String tenantId, List<String> invoiceIds, Instant sentAt) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(new SyncRequest(tenantId, invoiceIds, List.of(), "t-" + id).toJson());
    m.setAttributes(
        Map.of(
            "MessageGroupId",
            tenantId,
            "ApproximateReceiveCount",
            "1",
            "SentTimestamp",
            Long.toString(sentAt.toEpochMilli())));
    return m;
  }

  private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(messages));
    return event;
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<SQSEvent, SQSBatchResponse> worker() {
    return (RequestHandler<SQSEvent, SQSBatchResponse>) stack.handler("SyncWorkerFunction");
  }

  private static List<String> invoicesWithoutWebhooks(SimOrganisation org, int n) {
    stack.xero().faults().dropWebhooks(1.0);
    try {
      String contact = org.createContact("Burst Customer " + n);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(
            org.createAuthorisedInvoice(
                contact, LocalDate.now(), LocalDate.now().plusDays(9), new BigDecimal("40.00")));
      }
      // Dropped when the dispatcher's batch goes out, so only after that may the faults clear.
      stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(30));
      return ids;
    } finally {
      stack.xero().faults().clear();
    }
  }

  @Test
  void aHotTenantsChangesAreReadByDateAndMessagesThatReadCoveredCostNoCall() throws Exception {
    SimOrganisation org = connected("Hot Ltd");
    String tenant = org.tenantId();
    // As a webhook's message would be: sent after the changes, a moment before the worker takes
    // it. Here dated a second before the first change, so every change lies after it.
    Instant sent = Instant.now().minusSeconds(1);
    List<String> ids = invoicesWithoutWebhooks(org, 30);

    int before = stack.xero().callCount(tenant);
    var first = worker().handleRequest(batch(changes("h-1", tenant, ids, sent)), null);
    assertThat(first.getBatchItemFailures()).isEmpty();
    assertThat(stack.xero().callCount(tenant) - before)
        .as("30 ids in one If-Modified-Since read")
        .isEqualTo(1);
    for (String id : ids) {
      assertThat(invoices.get(tenant, id)).isPresent();
    }

    // Messages sent before that read started, still queued behind it: nothing left to fetch.
    before = stack.xero().callCount(tenant);
    var covered =
        worker()
            .handleRequest(
                batch(
                    changes("h-2", tenant, ids.subList(0, 10), sent),
                    changes("h-3", tenant, ids.subList(10, 30), sent.minusMillis(200))),
                null);
    assertThat(covered.getBatchItemFailures()).isEmpty();
    assertThat(stack.xero().callCount(tenant) - before).as("covered by the read").isZero();

    // A change after the read is not covered: read again, but not sooner than the pace allows.
    stack.xero().faults().dropWebhooks(1.0);
    try {
      org.pay(ids.get(3), new BigDecimal("15.00"), LocalDate.now(), "after the read");
      stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(30));
    } finally {
      stack.xero().faults().clear();
    }
    before = stack.xero().callCount(tenant);
    var again =
        worker()
            .handleRequest(batch(changes("h-4", tenant, List.of(ids.get(3)), Instant.now())), null);
    assertThat(again.getBatchItemFailures()).isEmpty();
    assertThat(stack.xero().callCount(tenant) - before).isEqualTo(1);
    assertThat(invoices.get(tenant, ids.get(3)).orElseThrow().amountDue())
        .isEqualByComparingTo("25.00");
  }

  @Test
  void aTenantPacedWhileHotDoesNotHoldUpAnotherTenantInTheSameBatch() throws Exception {
    SimOrganisation hot = connected("Paced Ltd");
    SimOrganisation calm = connected("Calm Ltd");
    List<String> hotIds = invoicesWithoutWebhooks(hot, 20);
    List<String> calmIds = invoicesWithoutWebhooks(calm, 1);
    // The hot tenant was just read, many ids: its next read waits out the pace (4 s from now).
    new ChangeFetches(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"))
        .put(hot.tenantId(), new ChangeFetch(Instant.now(), 100, null, null));
    long start = System.nanoTime();
    var run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                worker()
                    .handleRequest(
                        batch(
                            changes("p-2", hot.tenantId(), hotIds, Instant.now()),
                            changes("c-1", calm.tenantId(), calmIds, Instant.now())),
                        null));
    SyncEngineIntegrationTest.await(
        () -> invoices.get(calm.tenantId(), calmIds.get(0)).orElse(null),
        Duration.ofSeconds(10),
        "the calm tenant's invoice");
    double calmSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(run.get().getBatchItemFailures()).isEmpty();
    double batchSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(invoices.get(hot.tenantId(), hotIds.get(19))).isPresent();
    assertThat(batchSeconds).as("the hot tenant was paced").isGreaterThan(2.5);
    // In turn, the calm tenant would wait out the whole pace behind the hot one.
    assertThat(calmSeconds)
        .as("the calm tenant's change is stored while the hot one waits")
        .isLessThan(2.5);
  }

  @Test
  void aTenantThatNeedsAReconnectIsNotSyncedPerMessage() {
    SimOrganisation org = connected("Revoked Ltd");
    String tenant = org.tenantId();
    List<String> ids = invoicesWithoutWebhooks(org, 2);
    connections.setStatus(
        tenant, ConnectionStatus.NEEDS_RECONNECT, "Xero refused access (test)", null);
    int calls = stack.xero().callCount(tenant);
    int refreshes = stack.xero().tokenRefreshRequests();

    var response =
        worker()
            .handleRequest(
                batch(
                    changes("r-1", tenant, ids.subList(0, 1), Instant.now()),
                    changes("r-2", tenant, ids.subList(1, 2), Instant.now())),
                null);

    assertThat(response.getBatchItemFailures()).as("nothing to retry until a reconnect").isEmpty();
    assertThat(stack.xero().callCount(tenant)).isEqualTo(calls);
    assertThat(stack.xero().tokenRefreshRequests()).isEqualTo(refreshes);
    assertThat(invoices.get(tenant, ids.get(0))).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void anUnreadableMessageFailsWithTheRestOfItsGroupWhileOtherTenantsSucceed() {
    SimOrganisation a = connected("Group A Ltd");
    SimOrganisation b = connected("Group B Ltd");
    // Only the batch below may bring these invoices in.
    stack.xero().faults().dropWebhooks(1.0);
    String invoiceA =
        a.createAuthorisedInvoice(
            a.createContact("A"),
            LocalDate.now(),
            LocalDate.now().plusDays(5),
            new BigDecimal("10.00"));
    String invoiceB =
        b.createAuthorisedInvoice(
            b.createContact("B"),
            LocalDate.now(),
            LocalDate.now().plusDays(5),
            new BigDecimal("20.00"));
    SQSEvent event = new SQSEvent();
    event.setRecords(
        List.of(
            message(
                "a-1",
                a.tenantId(),
                new SyncRequest(a.tenantId(), List.of(invoiceA), List.of(), "t").toJson()),
            message("b-1", b.tenantId(), "{not json"),
            message(
                "b-2",
                b.tenantId(),
                new SyncRequest(b.tenantId(), List.of(invoiceB), List.of(), "t").toJson())));

    var worker = (RequestHandler<SQSEvent, SQSBatchResponse>) stack.handler("SyncWorkerFunction");
    SQSBatchResponse response;
    try {
      response = worker.handleRequest(event, null);
    } finally {
      stack.xero().faults().clear();
    }

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("b-1", "b-2");
    assertThat(invoices.get(a.tenantId(), invoiceA)).isPresent();
    assertThat(invoices.get(b.tenantId(), invoiceB))
        .as("b-2 comes after the failure in its FIFO group")
        .isEmpty();
  }

  @Test
  void contactsFollowTheirWebhooksIncludingArchiving() {
    SimOrganisation org = connected("Contacts Ltd");
    String contact = org.createContact("Soon Archived Ltd");
    org.createAuthorisedInvoice(
        contact, LocalDate.now(), LocalDate.now().plusDays(5), new BigDecimal("10.00"));
    SyncEngineIntegrationTest.await(
        () -> contacts.get(org.tenantId(), contact).orElse(null),
        Duration.ofSeconds(15),
        "the contact");

    org.archiveContact(contact);

    var archived =
        SyncEngineIntegrationTest.await(
            () ->
                contacts
                    .get(org.tenantId(), contact)
                    .filter(c -> "ARCHIVED".equals(c.status()))
                    .orElse(null),
            Duration.ofSeconds(15),
            "the archived contact");
    assertThat(archived.name()).isEqualTo("Soon Archived Ltd");
    // IsCustomer is set by Xero when the contact is invoiced; a role change sends no webhook, so
    // the sweep brings it.
    stack.schedules().fire("ReconcileFunction");
    SyncEngineIntegrationTest.await(
        () -> contacts.get(org.tenantId(), contact).filter(c -> c.isCustomer()).orElse(null),
        Duration.ofSeconds(15),
        "IsCustomer from the sweep");
  }
}
