package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.outbox.FakeXero.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DepositWriteTest {
  private final WritePath w = new WritePath();

  private Operation deposit(String id, String extra) {
    return w.runToEnd(
        w.accept(
            OperationKind.DEPOSIT,
            id,
            null,
            "{\"depositId\":\"" + id + "\",\"amount\":25,\"accountCode\":\"200\"" + extra + "}"));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aDepositIsPostedOnceWhateverItsSendComesTo(Fault fault) {
    w.setUp();
    w.xero.failNext("PUT BankTransactions", fault);

    Operation op = deposit("d-1", "");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.bankTransactions).as("posted once, never twice, never lost").hasSize(1);
    assertThat(op.xero)
        .containsEntry(
            "bankTransactionId", w.xero.bankTransactions.get(0).path("BankTransactionID").asText());
    assertThat(w.xero.bankTransactions.get(0).path("BankAccount").path("Code").asText())
        .isEqualTo("091");
  }

  @Test
  void aDepositIdSentAgainIsNeverPostedTwice() {
    w.setUp();
    deposit("d-2", "");

    assertThat(deposit("d-2", "").state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.bankTransactions).hasSize(1);
  }

  @Test
  void aDepositFromACustomerCarriesItsContact() {
    w.setUp();

    Operation op = deposit("d-3", ",\"contact\":{\"externalId\":\"cust\",\"name\":\"Cust\"}");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    String contactId = w.xero.contactsNumbered("cust").get(0).path("ContactID").asText();
    assertThat(w.xero.bankTransactions.get(0).path("Contact").path("ContactID").asText())
        .isEqualTo(contactId);
  }

  @Test
  void withoutADepositAccountNothingIsSent() {
    w.log.putSettings(WritePath.TENANT, WritePath.json("{\"paymentAccountCode\":\"090\"}"));

    Operation op = deposit("d-4", "");

    assertThat(op.code).isEqualTo("SETUP_REQUIRED");
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void xerosRefusalEndsFailedAndPostsNothing() {
    w.setUp();
    w.xero.refuseNext(
        "PUT BankTransactions", "Account code '999' is not a valid code for this document");

    Operation op = deposit("d-5", "");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("ACCOUNT_INVALID");
    assertThat(w.xero.bankTransactions).isEmpty();
  }

  /** README's minimal deposit: no contact, so the set-up's deposits contact (Xero needs one). */
  @Test
  void aDepositWithoutAContactGoesToTheSetUpsDepositsContact() {
    w.runToEnd(
        w.accept(
            OperationKind.ACCOUNTING_SETTINGS,
            "accounting",
            null,
            "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"091\"}"));

    Operation op = deposit("d-6", "");

    assertThat(op.state).as(op.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.bankTransactions.get(0).path("Contact").path("ContactID").asText())
        .isEqualTo(w.xero.contactsNumbered("xero-sync:deposits").get(0).path("ContactID").asText());
  }

  /** A customer created in another lane: the deposit waits for it instead of failing. */
  @Test
  void aDepositNamingACustomerStillBeingCreatedWaitsForIt() {
    w.setUp();
    Operation invoice =
        w.accept(
            OperationKind.INVOICE_UPSERT, "inv-1", null, WritePath.invoice("cust-n", "DRAFT", 5));
    w.log.markContactPending(invoice);
    Operation dep =
        w.accept(
            OperationKind.DEPOSIT,
            "d-7",
            null,
            "{\"depositId\":\"d-7\",\"amount\":25,\"accountCode\":\"200\","
                + "\"contact\":{\"externalId\":\"cust-n\"}}");

    WriteExecutor.Pass first = w.pass(dep);
    w.runToEnd(invoice);
    Operation done = w.runToEnd(dep);

    assertThat(first).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(done.state).as(done.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.bankTransactions.get(0).path("Contact").path("ContactID").asText())
        .isEqualTo(w.xero.contactsNumbered("cust-n").get(0).path("ContactID").asText());
  }

  @Test
  void aDepositNamingAnUnknownCustomerWithNothingInFlightFailsAtOnce() {
    w.setUp();

    Operation op = deposit("d-8", ",\"contact\":{\"externalId\":\"nobody\"}");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("CONTACT_REQUIRED");
    assertThat(op.attempts).isEqualTo(1);
  }
}
