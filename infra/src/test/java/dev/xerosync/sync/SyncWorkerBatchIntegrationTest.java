package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
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
        Duration.ofSeconds(30),
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
