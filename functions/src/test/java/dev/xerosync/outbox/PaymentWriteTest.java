package dev.xerosync.outbox;

import static dev.xerosync.outbox.WritePath.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.outbox.FakeXero.Fault;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PaymentWriteTest {
  private final WritePath w = new WritePath();

  private JsonNode pushed(String id) {
    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, id, null, invoice("c", "AUTHORISED", 100)));
    return w.xero.invoicesNumbered(id).get(0);
  }

  private Operation pay(String paymentId, String invoiceId, int amount) {
    return w.runToEnd(
        w.accept(
            OperationKind.PAYMENT,
            paymentId,
            invoiceId,
            "{\"paymentId\":\"" + paymentId + "\",\"amount\":" + amount + "}"));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aPaymentIsPostedOnceWhateverItsSendComesTo(Fault fault) {
    w.setUp();
    JsonNode invoice = pushed("p-inv");
    w.xero.failNext("PUT Payments", fault);

    Operation op = pay("pay-1", "p-inv", 40);

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.payments).as("posted once, never twice, never lost").hasSize(1);
    String invoiceId = invoice.path("InvoiceID").asText();
    assertThat(w.xero.invoices.get(invoiceId).path("AmountDue").decimalValue())
        .isEqualByComparingTo("60");
    assertThat(op.xero)
        .containsEntry("paymentId", w.xero.payments.get(0).path("PaymentID").asText())
        .containsEntry("invoiceId", invoiceId);
    assertThat(w.readSide.invoices.get(invoiceId).amountDue())
        .as("read-your-write")
        .isEqualByComparingTo(new BigDecimal("60"));
  }

  @Test
  void aPaymentIdSentAgainIsNeverPostedTwice() {
    w.setUp();
    pushed("p-inv2");
    pay("pay-2", "p-inv2", 10);

    Operation again = pay("pay-2", "p-inv2", 10);

    assertThat(again.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.payments).hasSize(1);
  }

  @Test
  void aPaymentWaitsForTheSetUpSentBeforeIt() {
    pushed("p-inv3");
    Operation setup = w.pendingSetUp();
    Operation pay = w.accept(OperationKind.PAYMENT, "pay-3", "p-inv3", "{\"amount\":10}");

    WriteExecutor.Pass first = w.pass(pay);

    assertThat(first).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.load(pay).state).isEqualTo(OperationState.QUEUED);
    assertThat(w.xero.payments).isEmpty();

    w.runToEnd(setup);
    assertThat(w.runToEnd(pay).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.payments).hasSize(1);
  }

  @Test
  void withoutTheSetUpNothingIsSent() {
    pushed("p-inv4");

    Operation op = pay("pay-4", "p-inv4", 10);

    assertThat(op.code).isEqualTo("SETUP_REQUIRED");
    assertThat(w.xero.writeRequests).doesNotContain("PUT Payments");
  }

  @Test
  void anInvoiceNotInXeroTakesNoPayment() {
    w.setUp();

    Operation op = pay("pay-5", "never-pushed", 10);

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("NOT_IN_XERO");
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void xerosRefusalEndsFailedAndPostsNothing() {
    w.setUp();
    pushed("p-inv6");

    Operation op = pay("pay-6", "p-inv6", 500);

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("PAYMENT_EXCEEDS_OUTSTANDING");
    assertThat(w.xero.payments).isEmpty();
  }

  /** Issue 25 finding 6: a payment is never booked in another currency than its invoice's. */
  @Test
  void aPaymentInAnotherCurrencyThanItsInvoiceFailsAndSendsNothing() {
    w.setUp();
    w.runToEnd(
        w.accept(
            OperationKind.INVOICE_UPSERT,
            "fx-1",
            null,
            invoice("c", "AUTHORISED", 5)
                .replace("{\"contact\"", "{\"currency\":\"NZD\",\"contact\"")));

    Operation op =
        w.runToEnd(
            w.accept(
                OperationKind.PAYMENT,
                "fx-p",
                "fx-1",
                "{\"paymentId\":\"fx-p\",\"amount\":5,\"currency\":\"USD\"}"));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("CURRENCY_MISMATCH");
    assertThat(op.messages.get(0)).contains("USD").contains("NZD");
    assertThat(w.xero.writeRequests).doesNotContain("PUT Payments");
  }
}
