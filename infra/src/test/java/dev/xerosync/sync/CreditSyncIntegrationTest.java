package dev.xerosync.sync;

import static dev.xerosync.sync.SyncEngineIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credit notes, overpayments and prepayments through the whole local stack. */
class CreditSyncIntegrationTest {
  private static LocalStack stack;
  private static InvoiceStore invoices;
  private static CreditStore credits;
  private static Connections connections;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
    String table = stack.aws().resources().tableName("Table");
    invoices = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
    credits = new CreditStore(stack.aws().dynamoDb(), table);
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

  private static SimOrganisation connected(String name) {
    SimOrganisation org = stack.xero().createOrganisation(name);
    stack.connect(org);
    await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(30),
        "initial sync");
    return org;
  }

  @Test
  void aCreditNoteAloneTellsUsThatItsDeletedAllocationReopenedAnInvoice() {
    SimOrganisation org = connected("Reopened Ltd");
    String contact = org.createContact("Customer");
    LocalDate today = LocalDate.now();
    String invoice =
        org.createAuthorisedInvoice(contact, today, today.plusDays(10), new BigDecimal("50.00"));
    String cn = org.creditNoteFor(contact, new BigDecimal("50.00"), today);
    String allocation = org.allocate(cn, invoice, new BigDecimal("50.00"), today);
    await(
        () ->
            invoices
                .get(org.tenantId(), invoice)
                .filter(i -> "PAID".equals(i.status()))
                .orElse(null),
        Duration.ofSeconds(15),
        "the invoice paid by the credit note");

    // The invoice's own webhook is lost; only the credit note is named, as a CREDITNOTE event
    // folds into a sync request.
    stack.xero().faults().dropWebhooks(1.0);
    org.deallocate(cn, allocation);
    var request =
        new SyncRequest(org.tenantId(), List.of(), List.of(), "credit-note-only")
            .withCreditNotes(List.of(cn));
    stack
        .aws()
        .sqs()
        .sendMessage(
            r ->
                r.queueUrl(stack.aws().resources().queueUrl("SyncQueue"))
                    .messageBody(request.toJson())
                    .messageGroupId(org.tenantId())
                    .messageDeduplicationId("cn-" + org.tenantId()));

    XeroInvoice reopened =
        await(
            () ->
                invoices
                    .get(org.tenantId(), invoice)
                    .filter(i -> "AUTHORISED".equals(i.status()))
                    .orElse(null),
            Duration.ofSeconds(15),
            "the invoice reopened");
    assertThat(reopened.amountDue()).isEqualByComparingTo("50.00");
    assertThat(reopened.amountCredited()).isEqualByComparingTo("0");
    assertThat(reopened.allocations()).isEmpty();
    // The credit item can be written by an invoice read still in flight from before the
    // deallocation; it settles on Xero's current credit.
    XeroCredit stored =
        await(
            () ->
                credits
                    .get(org.tenantId(), cn)
                    .filter(c -> "AUTHORISED".equals(c.status()))
                    .orElse(null),
            Duration.ofSeconds(15),
            "the credit note stored as open again");
    assertThat(stored.remainingCredit()).isEqualByComparingTo("50.00");
    assertThat(stored.allocations()).isEmpty();
  }

  @Test
  void theSweepBringsOverpaymentsPrepaymentsAndRefundsWithoutWebhooks() {
    SimOrganisation org = connected("Sweep Credits Ltd");
    String contact = org.createContact("Customer");
    LocalDate today = LocalDate.now();
    String a =
        org.createAuthorisedInvoice(
            contact, today.minusDays(5), today.plusDays(10), new BigDecimal("120.00"));
    String b =
        org.createAuthorisedInvoice(contact, today, today.plusDays(10), new BigDecimal("40.00"));
    stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(5));
    stack.xero().faults().dropWebhooks(1.0);
    String over = org.overpayment(contact, new BigDecimal("70.00"), today.minusDays(1));
    String pre = org.prepayment(contact, new BigDecimal("40.00"), today);
    String cn = org.creditNoteFor(contact, new BigDecimal("25.00"), today);
    org.allocate(over, a, new BigDecimal("60.00"), today);
    String gone = org.allocate(pre, b, new BigDecimal("30.00"), today);
    org.allocate(pre, a, new BigDecimal("0.01"), today);
    org.deallocate(pre, gone);
    org.refundCredit(over, new BigDecimal("10.00"), today);
    org.refundCredit(cn, new BigDecimal("5.00"), today);
    stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(5));

    stack.schedules().fire("ReconcileFunction");

    await(
        () ->
            Convergence.differences(org, invoices).isEmpty()
                    && Convergence.creditDifferences(org, invoices, credits).isEmpty()
                ? Boolean.TRUE
                : null,
        Duration.ofSeconds(30),
        "credits reconciled");
    assertThat(credits.get(org.tenantId(), over).orElseThrow().status())
        .as("allocated and refunded in full")
        .isEqualTo("PAID");
    assertThat(credits.get(org.tenantId(), cn).orElseThrow().remainingCredit())
        .isEqualByComparingTo("20.00");
    assertThat(invoices.get(org.tenantId(), a).orElseThrow().allocations())
        .extracting(x -> x.kind().name())
        .containsExactlyInAnyOrder("OVERPAYMENT", "PREPAYMENT");
  }
}
