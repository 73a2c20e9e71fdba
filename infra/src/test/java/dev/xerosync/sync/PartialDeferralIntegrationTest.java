package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.connect.ConnectWiring;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.syncengine.TenantSync;
import dev.xerosync.xero.CallBudget;
import dev.xerosync.xero.XeroApi;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rate limit part-way through a delivery's ids (issue #12, finding 6): what was fetched stays
 * stored, and only the ids not yet fetched are held back, with the sweep that was folded in.
 */
class PartialDeferralIntegrationTest {
  private static LocalStack stack;
  private static InvoiceStore invoices;
  private static Connections connections;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStack.Options.defaults());
    String table = stack.aws().resources().tableName("Table");
    invoices = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
    connections = new Connections(stack.aws().dynamoDb(), table);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /**
   * Lets {@code calls} calls through, then says the tenant's minute is spent for 4 s: more than the
   * client waits inline, so the worker holds the rest back.
   */
  private static CallBudget allowing(int calls) {
    AtomicInteger left = new AtomicInteger(calls);
    return new CallBudget() {
      @Override
      public Optional<Deferral> acquire(String tenantId) {
        return left.getAndDecrement() > 0
            ? Optional.empty()
            : Optional.of(new Deferral("minute", Duration.ofSeconds(4)));
      }

      @Override
      public void record(String tenantId, RateHeaders headers) {}
    };
  }

  @Test
  void aRateLimitHoldsBackOnlyTheIdsNotYetFetched() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Partial Deferral Ltd");
    stack.connect(org);
    SyncEngineIntegrationTest.await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(60),
        "initial sync");
    List<String> ids = new ArrayList<>();
    stack.xero().faults().dropWebhooks(1.0);
    try {
      String contact = org.createContact("Deferred Customer");
      for (int i = 0; i < 120; i++) {
        ids.add(
            org.createAuthorisedInvoice(
                contact, LocalDate.now(), LocalDate.now().plusDays(9), new BigDecimal("12.50")));
      }
    } finally {
      stack.xero().faults().clear();
    }

    Environment env = stack.environment("SyncWorkerFunction");
    ConnectWiring w = ConnectWiring.of(stack.environment("TokenRefreshFunction"));
    XeroApi xero =
        new XeroApi(
            XeroApi.defaultHttpClient(),
            URI.create(env.required("XERO_API_BASE_URL")),
            allowing(1));
    List<List<String>> calls = xero.invoiceIdCalls(ids);
    assertThat(calls).as("the ids need several IDs= calls").hasSizeGreaterThan(1);
    TenantSync sync =
        new TenantSync(
            xero,
            w.tokens(),
            invoices,
            new ContactStore(w.dynamo(), w.table()),
            new dev.xerosync.store.CreditStore(w.dynamo(), w.table()),
            connections,
            null,
            Clock.systemUTC());
    String delayQueue =
        stack.aws().sqs().createQueue(r -> r.queueName("partial-deferral-test")).queueUrl();
    SyncWorkerHandler worker =
        new SyncWorkerHandler(
            sync,
            new DeferredSyncs(stack.aws().sqs(), delayQueue, Clock.systemUTC()),
            connections,
            Clock.systemUTC());

    SQSEvent event = new SQSEvent();
    event.setRecords(
        List.of(
            message("m-1", org.tenantId(), new SyncRequest(org.tenantId(), ids, List.of(), "t")),
            message("m-2", org.tenantId(), SyncRequest.reconcile(org.tenantId(), "h1", "t"))));
    SQSBatchResponse response = worker.handleRequest(event, null);

    assertThat(response.getBatchItemFailures()).as("held back, not failed").isEmpty();
    for (String id : calls.get(0)) {
      assertThat(invoices.get(org.tenantId(), id)).as("fetched before the limit").isPresent();
    }
    List<SyncRequest> held = new ArrayList<>();
    for (int i = 0; i < 30 && held.size() < 2; i++) {
      for (var m :
          stack
              .aws()
              .sqs()
              .receiveMessage(
                  r -> r.queueUrl(delayQueue).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages()) {
        held.add(SyncRequest.fromJson(m.body()));
      }
    }
    Set<String> heldIds = new HashSet<>();
    held.forEach(r -> heldIds.addAll(r.invoiceIds()));
    Set<String> notFetched = new HashSet<>(ids);
    calls.get(0).forEach(notFetched::remove);
    assertThat(heldIds).isEqualTo(notFetched);
    assertThat(held)
        .extracting(SyncRequest::kind)
        .containsExactlyInAnyOrder(SyncRequest.Kind.CHANGES, SyncRequest.Kind.RECONCILE);
  }

  private static SQSEvent.SQSMessage message(String id, String group, SyncRequest request) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(request.toJson());
    m.setAttributes(Map.of("MessageGroupId", group, "ApproximateReceiveCount", "1"));
    return m;
  }
}
