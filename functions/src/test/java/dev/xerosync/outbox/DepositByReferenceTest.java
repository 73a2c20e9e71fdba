package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.xero.XeroApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DepositByReferenceTest {
  private final WritePath w = new WritePath();
  private final Operation op = w.accept(OperationKind.DEPOSIT, "d-1", null, "{}");

  @Test
  void findsOurReferenceButNotADeletedTransaction() throws Exception {
    w.xero.bankTransactions.add(
        WritePath.json(
            "{\"BankTransactionID\":\"gone\",\"Reference\":\"d-1\",\"Status\":\"DELETED\"}"));
    w.xero.bankTransactions.add(
        WritePath.json(
            "{\"BankTransactionID\":\"ours\",\"Reference\":\"d-1\",\"Status\":\"AUTHORISED\"}"));

    assertThat(DepositByReference.find(w.call(op), "d-1")).hasValue("ours");
    assertThat(DepositByReference.find(w.call(op), "d-2")).isEmpty();
  }

  @Test
  void aReferenceWithQuotesIsLookedUpExactly() throws Exception {
    w.xero.bankTransactions.add(
        WritePath.json("{\"BankTransactionID\":\"q\",\"Reference\":\"a\\\"b\"}"));

    assertThat(DepositByReference.find(w.call(op), "a\"b")).hasValue("q");
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "RATE_LIMITED", "TIMEOUT_AFTER_COMMIT", "LOST_ANSWER"})
  void aLookupThatFailsThrows(Fault fault) {
    w.xero.failReads(fault);

    assertThatThrownBy(() -> DepositByReference.find(w.call(op), "d-1"))
        .isInstanceOf(XeroApiException.class);
  }

  /** A deposit whose answer was lost, and whose lookup then failed, is never posted blind. */
  @Test
  void anUnansweredLookupHoldsTheResendBack() {
    w.setUp();
    w.xero.failNext("PUT BankTransactions", Fault.SERVER_ERROR_AFTER_COMMIT);
    w.xero.failReads(Fault.RATE_LIMITED, Fault.RATE_LIMITED);
    w.xero.retryAfter = java.time.Duration.ofSeconds(30);
    Operation deposit =
        w.accept(OperationKind.DEPOSIT, "d-9", null, "{\"amount\":5,\"accountCode\":\"200\"}");

    assertThat(w.pass(deposit)).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.xero.bankTransactions).hasSize(1);

    assertThat(w.runToEnd(deposit).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.bankTransactions).hasSize(1);
  }
}
