package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.outbox.FakeXero.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountingSetupTest {
  private final WritePath w = new WritePath();

  private Operation setUp(String body) {
    return w.runToEnd(w.accept(OperationKind.ACCOUNTING_SETTINGS, "accounting", null, body));
  }

  /**
   * The set-up reads Xero and names the deposits contact: whatever a read comes to, a retry is safe
   * and saves nothing more than that one contact.
   */
  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void theSetUpIsKeptWhateverAReadComesTo(Fault fault) {
    w.xero.failReads(fault);

    Operation op = setUp("{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"091\"}");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.log.settings(WritePath.TENANT).orElseThrow().path("paymentAccountId").asText())
        .isEqualTo(w.xero.accounts.get(0).path("AccountID").asText());
    assertThat(w.xero.saved).containsExactly("PUT Contacts");
    assertThat(w.xero.contactsNumbered("xero-sync:deposits")).hasSize(1);
  }

  @Test
  void theDepositsContactIsCreatedOnceAndKeptWithTheSetUp() {
    String body = "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"091\"}";
    setUp(body);

    Operation again = setUp(body);

    assertThat(again.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.contactsNumbered("xero-sync:deposits"))
        .singleElement()
        .satisfies(c -> assertThat(c.path("Name").asText()).isEqualTo("Deposits"));
    assertThat(w.log.settings(WritePath.TENANT).orElseThrow().path("depositContactId").asText())
        .isEqualTo(w.xero.contactsNumbered("xero-sync:deposits").get(0).path("ContactID").asText());
  }

  @Test
  void aDepositsContactNamedInTheSetUpIsUsed() {
    String theirs = w.xero.contact("", "Shop takings", "ACTIVE").path("ContactID").asText();

    setUp(
        "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"091\","
            + "\"depositContact\":{\"xeroContactId\":\""
            + theirs
            + "\"}}");

    assertThat(w.log.settings(WritePath.TENANT).orElseThrow().path("depositContactId").asText())
        .isEqualTo(theirs);
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void anAccountThatTakesNoPaymentsOrIsNoBankIsRefusedAndNotKept() {
    Operation op = setUp("{\"paymentAccountCode\":\"200\",\"depositAccountCode\":\"610\"}");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("ACCOUNT_INVALID");
    assertThat(op.messages).hasSize(2);
    assertThat(op.messages.get(0)).contains("takes no payments");
    assertThat(op.messages.get(1)).contains("610 is not an active bank account");
    assertThat(w.log.settings(WritePath.TENANT)).isEmpty();
  }

  @Test
  void anAccountWithPaymentsEnabledIsAccepted() {
    assertThat(setUp("{\"paymentAccountCode\":\"610\"}").state).isEqualTo(OperationState.SUCCEEDED);
  }

  @Test
  void theDryRunsReferenceDataIsKeptWithTheLaterLockDate() {
    w.xero.organisation.put("PeriodLockDate", "/Date(1767139200000+0000)/"); // 2025-12-31
    w.xero.organisation.put("EndOfYearLockDate", "2025-06-30T00:00:00");
    w.xero.currencies = WritePath.json("{\"c\":[{\"Code\":\"NZD\"}]}").withArray("c");

    setUp("{\"paymentAccountCode\":\"090\"}");

    var reference = w.log.reference(WritePath.TENANT).orElseThrow();
    assertThat(reference.path("lockDate").asText()).isEqualTo("2025-12-31");
    assertThat(reference.path("accounts")).hasSize(4);
    assertThat(reference.has("taxRates")).as("a 404 leaves it out").isFalse();
    assertThat(reference.path("currencies").get(0).path("Code").asText()).isEqualTo("NZD");
  }
}
