package dev.xerosync.outbox;

import static dev.xerosync.outbox.WritePath.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.outbox.FakeXero.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvoiceVoidTest {
  private final WritePath w = new WritePath();

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aVoidIsSentOnceWhateverItsSendComesTo(Fault fault) {
    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, "v-1", null, invoice("c", "AUTHORISED", 5)));
    w.xero.failNext("POST Invoices", fault);

    Operation op = w.runToEnd(w.accept(OperationKind.INVOICE_VOID, "v-1", null, "{}"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.savedCount("POST Invoices")).isEqualTo(1);
    assertThat(w.xero.invoicesNumbered("v-1").get(0).path("Status").asText()).isEqualTo("VOIDED");
    assertThat(w.link(OperationLog.INVOICE, "v-1").path("status").asText()).isEqualTo("VOIDED");
  }

  /** Issue 25 finding 8: Xero deletes a draft rather than voiding it. */
  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aDraftIsDeletedAsXeroDoesOnceWhateverItsSendComesTo(Fault fault) {
    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, "d-1", null, invoice("c", "DRAFT", 5)));
    w.xero.failNext("POST Invoices", fault);

    Operation op = w.runToEnd(w.accept(OperationKind.INVOICE_VOID, "d-1", null, "{}"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.savedCount("POST Invoices")).isEqualTo(1);
    assertThat(w.xero.invoicesNumbered("d-1").get(0).path("Status").asText()).isEqualTo("DELETED");
    assertThat(w.link(OperationLog.INVOICE, "d-1").path("status").asText()).isEqualTo("DELETED");
    assertThat(op.xero).containsEntry("status", "DELETED");
    assertThat(op.messages).singleElement().asString().contains("deleted in Xero");
  }

  @Test
  void anInvoiceNeverPushedHasNothingToVoid() {
    Operation op = w.runToEnd(w.accept(OperationKind.INVOICE_VOID, "v-2", null, "{}"));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("NOT_IN_XERO");
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void xerosRefusalNamesTheInvoice() {
    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, "v-3", null, invoice("c", "AUTHORISED", 5)));
    w.xero.refuseNext("POST Invoices", "Invoice not of valid status for modification");

    Operation op = w.runToEnd(w.accept(OperationKind.INVOICE_VOID, "v-3", null, "{}"));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("STATUS_NOT_MODIFIABLE");
    assertThat(op.xero).containsKey("invoiceId");
    assertThat(w.xero.invoicesNumbered("v-3").get(0).path("Status").asText())
        .isEqualTo("AUTHORISED");
  }
}
