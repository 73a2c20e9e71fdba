package dev.xerosync.outbox;

import static dev.xerosync.outbox.WritePath.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.outbox.FakeXero.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvoiceUpsertTest {
  private final WritePath w = new WritePath();

  private Operation push(String id, String body) {
    return w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, id, null, body));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aCreateIsSavedOnceWhateverItsSendComesTo(Fault fault) {
    w.xero.failNext("PUT Invoices", fault);

    Operation op = push("inv-1", invoice("c-1", "AUTHORISED", 100));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.savedCount("PUT Invoices")).as("saved once, never twice").isEqualTo(1);
    JsonNode inXero = w.xero.invoicesNumbered("inv-1").get(0);
    assertThat(op.xero).containsEntry("invoiceId", inXero.path("InvoiceID").asText());
    assertThat(w.link(OperationLog.INVOICE, "inv-1").path("invoiceId").asText())
        .as("linked, so a later write changes this invoice")
        .isEqualTo(inXero.path("InvoiceID").asText());
    assertThat(w.readSide.invoices).containsKey(inXero.path("InvoiceID").asText());
    assertThat(w.xero.contactsNumbered("c-1")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aStatusChangeIsAppliedOnceWhateverItsSendComesTo(Fault fault) {
    push("inv-2", invoice("c-2", "DRAFT", 100));
    w.xero.failNext("POST Invoices", fault);

    Operation op = push("inv-2", invoice("c-2", "AUTHORISED", 100));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.xero).containsEntry("status", "AUTHORISED");
    assertThat(w.xero.savedCount("POST Invoices")).isEqualTo(1);
    assertThat(w.xero.invoicesNumbered("inv-2"))
        .singleElement()
        .satisfies(i -> assertThat(i.path("Status").asText()).isEqualTo("AUTHORISED"));
  }

  @Test
  void aNumberTakenOutsideTheServiceIsRefusedNotAdopted() {
    w.xero.invoices.put(
        "made-in-xero",
        WritePath.json("{\"InvoiceID\":\"made-in-xero\",\"InvoiceNumber\":\"inv-3\"}"));

    Operation op = push("inv-3", invoice("c-3", "DRAFT", 10));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("INVOICE_NUMBER_TAKEN");
    assertThat(w.xero.invoicesNumbered("inv-3")).hasSize(1);
    assertThat(w.records.links).doesNotContainKey(WritePath.TENANT + "|INVOICE|inv-3");
  }

  @Test
  void xerosValidationEndsFailedWithItsCodeAndNothingSaved() {
    w.xero.refuseNext(
        "PUT Invoices", "The TaxType code 'INPUT2' does not exist or cannot be used.");

    Operation op = push("inv-4", invoice("c-4", "AUTHORISED", 10));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("TAX_RATE_INVALID");
    assertThat(op.action).isNotBlank();
    assertThat(w.xero.invoicesNumbered("inv-4")).isEmpty();
  }

  @Test
  void linesOfAnAuthorisedInvoiceDoNotChangeAndNothingIsSent() {
    push("inv-5", invoice("c-5", "AUTHORISED", 10));
    int sent = w.xero.writeRequests.size();

    Operation op = push("inv-5", invoice("c-5", "AUTHORISED", 99));

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("STATUS_NOT_MODIFIABLE");
    assertThat(op.xero).containsKey("invoiceId");
    assertThat(w.xero.writeRequests).hasSize(sent);
  }

  @Test
  void aNewInvoiceWithoutAContactSendsNothing() {
    Operation op = push("inv-6", "{\"lineItems\":[]}");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("CONTACT_REQUIRED");
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void theSetUpsInvoiceStatusIsUsedWhenTheWriteGivesNone() {
    w.log.putSettings(
        WritePath.TENANT,
        WritePath.json("{\"paymentAccountCode\":\"090\",\"invoiceStatus\":\"AUTHORISED\"}"));

    push("inv-7", invoice("c-7", "DRAFT", 10).replace("\"status\":\"DRAFT\",", ""));

    assertThat(w.xero.invoicesNumbered("inv-7").get(0).path("Status").asText())
        .isEqualTo("AUTHORISED");
  }

  /** Issue 29 finding 3: a success where Xero holds another date says so. */
  @Test
  void aSuccessWhereXeroHoldsAnotherDueDateCarriesAWarning() {
    w.xero.createdInvoice = inv -> inv.remove("DueDate");

    Operation op =
        w.runToEnd(
            w.accept(OperationKind.INVOICE_UPSERT, "warn-1", null, invoice("c", "DRAFT", 5)));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.messages)
        .containsExactly("Xero holds dueDate as nothing, not the 2026-12-01 asked for.");
  }

  @Test
  void aSuccessWhereXeroHoldsWhatWasAskedHasNoWarning() {
    Operation op =
        w.runToEnd(
            w.accept(OperationKind.INVOICE_UPSERT, "warn-2", null, invoice("c", "DRAFT", 5)));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.messages).isEmpty();
  }
}
