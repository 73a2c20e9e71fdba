package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.xero.XeroApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvoiceByIdTest {
  private final WritePath w = new WritePath();
  private final Operation op = w.accept(OperationKind.INVOICE_VOID, "i-1", null, "{}");

  @Test
  void tellsWhetherTheChangeIsAlreadyApplied() throws Exception {
    w.xero.invoices.put("id-1", WritePath.json("{\"InvoiceID\":\"id-1\",\"Status\":\"VOIDED\"}"));

    assertThat(InvoiceById.withStatus(w.call(op), "id-1", "VOIDED")).isPresent();
    assertThat(InvoiceById.withStatus(w.call(op), "id-1", "AUTHORISED")).isEmpty();
    assertThat(InvoiceById.withStatus(w.call(op), "no-such-id", "VOIDED")).isEmpty();
    assertThat(op.reconcileLookups).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "RATE_LIMITED", "TIMEOUT_AFTER_COMMIT", "LOST_ANSWER"})
  void aLookupThatFailsThrows(Fault fault) {
    w.xero.failReads(fault);

    assertThatThrownBy(() -> InvoiceById.withStatus(w.call(op), "id-1", "VOIDED"))
        .isInstanceOf(XeroApiException.class);
  }

  /** A void whose answer was lost, and whose lookup then failed, is not sent again blind. */
  @Test
  void anUnansweredLookupHoldsTheResendBack() {
    w.runToEnd(
        w.accept(
            OperationKind.INVOICE_UPSERT, "i-2", null, WritePath.invoice("c", "AUTHORISED", 5)));
    w.xero.failNext("POST Invoices", Fault.TIMEOUT_AFTER_COMMIT);
    w.xero.failReads(Fault.SERVER_ERROR, Fault.SERVER_ERROR);
    Operation voiding = w.accept(OperationKind.INVOICE_VOID, "i-2", null, "{}");

    assertThat(w.pass(voiding)).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.runToEnd(voiding).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.savedCount("POST Invoices")).isEqualTo(1);
  }
}
