package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.xero.XeroApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PaymentByReferenceTest {
  private final WritePath w = new WritePath();
  private final Operation op = w.accept(OperationKind.PAYMENT, "pay-1", "inv", "{}");

  @Test
  void findsOurReferenceAmongTheInvoicesPayments() throws Exception {
    w.xero.invoices.put(
        "id-1",
        WritePath.json(
            "{\"InvoiceID\":\"id-1\",\"Payments\":[{\"PaymentID\":\"p-other\",\"Reference\":"
                + "\"pay-10\"},{\"PaymentID\":\"p-ours\",\"Reference\":\"pay-1\"}]}"));

    var found = PaymentByReference.find(w.call(op), "id-1", "pay-1");

    assertThat(found).hasValueSatisfying(f -> assertThat(f.paymentId()).isEqualTo("p-ours"));
    assertThat(found.get().invoice().path("InvoiceID").asText()).isEqualTo("id-1");
    assertThat(PaymentByReference.find(w.call(op), "id-1", "pay-2")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "RATE_LIMITED", "TIMEOUT_AFTER_COMMIT", "LOST_ANSWER"})
  void aLookupThatFailsThrows(Fault fault) {
    w.xero.failReads(fault);

    assertThatThrownBy(() -> PaymentByReference.find(w.call(op), "id-1", "pay-1"))
        .isInstanceOf(XeroApiException.class);
  }

  /** A payment whose answer was lost, and whose lookup then failed, is never posted blind. */
  @Test
  void anUnansweredLookupHoldsTheResendBack() {
    w.setUp();
    w.runToEnd(
        w.accept(
            OperationKind.INVOICE_UPSERT, "inv-9", null, WritePath.invoice("c", "AUTHORISED", 50)));
    w.xero.failNext("PUT Payments", Fault.LOST_ANSWER);
    w.xero.failReads(Fault.TIMEOUT_AFTER_COMMIT, Fault.TIMEOUT_AFTER_COMMIT);
    Operation pay = w.accept(OperationKind.PAYMENT, "pay-9", "inv-9", "{\"amount\":20}");

    assertThat(w.pass(pay)).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.xero.payments).hasSize(1);

    assertThat(w.runToEnd(pay).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.payments).hasSize(1);
  }
}
