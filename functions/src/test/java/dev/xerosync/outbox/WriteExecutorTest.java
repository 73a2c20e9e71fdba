package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operation's lifecycle: passes, SENDING, inline retries, give-up and the finish. */
class WriteExecutorTest {
  private final WritePath w = new WritePath();

  private Operation contact(String id) {
    return w.accept(OperationKind.CONTACT_UPSERT, id, null, "{\"name\":\"Name " + id + "\"}");
  }

  private Fault[] times(int n, Fault fault) {
    Fault[] faults = new Fault[n];
    java.util.Arrays.fill(faults, fault);
    return faults;
  }

  @Test
  void aMessageForNoOperationIsDropped() {
    assertThat(w.executor.run(WritePath.TENANT, UUID.randomUUID().toString(), false))
        .isEqualTo(new WriteExecutor.Pass.Done(null));
  }

  @Test
  void aFinishedOperationIsNeverSentAgain() {
    Operation op = contact("c-1");
    w.runToEnd(op);
    int sent = w.xero.writeRequests.size();

    assertThat(w.pass(op)).isEqualTo(new WriteExecutor.Pass.Done(OperationState.SUCCEEDED));
    assertThat(w.xero.writeRequests).hasSize(sent);
    assertThat(w.finished).as("announced once").hasSize(1);
  }

  @Test
  void anExpiredTokenIsReplacedOnceAndTheWriteSentAgain() {
    w.xero.failNext("PUT Contacts", Fault.TOKEN_EXPIRED);

    Operation op = w.runToEnd(contact("c-2"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.tokensRefreshed).containsExactly("token-1");
    assertThat(w.xero.savedCount("PUT Contacts")).isEqualTo(1);
    assertThat(op.xeroCalls).as("the lookup, the refused send and the resend").isEqualTo(3);
  }

  @Test
  void aConnectionWithoutAccessNeedsAttentionAndIsNotRetried() {
    w.xero.answerNext(
        "PUT Contacts", new XeroApiException(403, "AuthorizationUnsuccessful", null, "forbidden"));

    Operation op = w.runToEnd(contact("c-3"));

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("NOT_AUTHORISED");
    assertThat(op.attempts).isEqualTo(1);
  }

  @Test
  void aShortRetryAfterIsWaitedInsideThePass() {
    w.xero.failNext("PUT Contacts", Fault.RATE_LIMITED);

    Operation op = w.runToEnd(contact("c-4"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.attempts).isEqualTo(1);
    assertThat(w.waits).contains(Duration.ofSeconds(2));
  }

  @Test
  void aLongRetryAfterBringsTheOperationBackThenAndNothingIsAmbiguous() {
    w.xero.retryAfter = Duration.ofSeconds(30);
    w.xero.failNext("PUT Contacts", Fault.RATE_LIMITED);
    Operation op = contact("c-5");

    WriteExecutor.Pass first = w.pass(op);

    assertThat(first).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(((WriteExecutor.Pass.Later) first).delay()).isEqualTo(Duration.ofSeconds(30));
    Operation stored = w.load(op);
    assertThat(stored.state).as("back in the queue as it was").isEqualTo(OperationState.QUEUED);
    assertThat(stored.ambiguous).isFalse();
    assertThat(w.runToEnd(op).state).isEqualTo(OperationState.SUCCEEDED);
  }

  @Test
  void theDaysLimitHoldsTheWriteQueuedUntilXeroAllowsItAndItThenGoes() {
    w.xero.retryAfter = Duration.ofHours(5);
    w.xero.rateLimitProblem = "day";
    w.xero.failNext("PUT Contacts", Fault.RATE_LIMITED);
    Operation op = contact("c-6");

    WriteExecutor.Pass first = w.executor.run(WritePath.TENANT, op.operationId, true);

    assertThat(first)
        .isEqualTo(
            new WriteExecutor.Pass.Later(Duration.ofHours(5), "Xero's minute limit is spent"));
    Operation held = w.load(op);
    assertThat(held.state)
        .as("waiting, even on the queue's last delivery")
        .isEqualTo(OperationState.QUEUED);
    assertThat(held.heldUntil).isEqualTo(w.clock.instant().plus(Duration.ofHours(5)));
    assertThat(held.toJson(0, 45, w.clock.instant()).path("queue").path("expectedAt").asText())
        .isEqualTo(held.heldUntil.toString());
    assertThat(w.xero.contacts).isEmpty();
    w.clock.advance(Duration.ofHours(5));
    Operation done = w.runToEnd(op);
    assertThat(done.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.holds).isEqualTo(1);
    assertThat(done.heldUntil).isNull();
  }

  @Test
  void rateLimitsNeverFailAWriteHoweverOftenTheyHoldItBack() {
    w.xero.retryAfter = Duration.ofSeconds(30);
    w.xero.failNext("PUT Contacts", times(5 * WriteExecutor.MAX_ATTEMPTS, Fault.RATE_LIMITED));
    Operation op = contact("c-8");

    WriteExecutor.Pass pass = null;
    for (int i = 0; i < 100 && !(pass instanceof WriteExecutor.Pass.Done); i++) {
      pass = w.executor.run(WritePath.TENANT, op.operationId, true);
      if (pass instanceof WriteExecutor.Pass.Later later) {
        w.clock.advance(later.delay());
      }
    }

    Operation done = w.load(op);
    assertThat(done.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.holds).isEqualTo(5 * WriteExecutor.MAX_ATTEMPTS);
    assertThat(w.xero.contactsNumbered("c-8")).hasSize(1);
    assertThat(w.records.backlogFinished).as("its place in the queue is freed").isEqualTo(1);
  }

  @Test
  void aWriteWaitsItsTurnBehindTheTenantsOlderOpenWritesWithoutCallingXero() {
    for (int i = 0; i < 9; i++) {
      contact("older-" + i);
    }
    Operation op = contact("c-turn");
    op.turnBy = op.createdAt.plus(Duration.ofMinutes(1));
    w.log.save(op, op.createdAt);

    WriteExecutor.Pass pass = w.pass(op);

    assertThat(pass)
        .isEqualTo(new WriteExecutor.Pass.Later(Duration.ofSeconds(6), w.load(op).heldBy));
    assertThat(w.load(op).heldBy).startsWith("Waiting its turn");
    assertThat(w.load(op).state).isEqualTo(OperationState.QUEUED);
    assertThat(w.load(op).attempts - w.load(op).holds).as("no attempt").isZero();
    assertThat(w.xero.writeRequests).isEmpty();

    w.records.backlogFinished = 6;
    assertThat(w.runToEnd(op).state)
        .as("3 older still open: its turn")
        .isEqualTo(OperationState.SUCCEEDED);
  }

  @Test
  void aWriteGoesAtTheTimeAdmissionCountedOnWhateverTheCountsSay() {
    for (int i = 0; i < 30; i++) {
      contact("older-" + i);
    }
    Operation op = contact("c-late");
    op.turnBy = op.createdAt.plus(Duration.ofSeconds(5));
    w.log.save(op, op.createdAt);

    Operation done = w.runToEnd(op);

    assertThat(done.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.finishedAt).isEqualTo(op.createdAt.plus(Duration.ofSeconds(5)));
  }

  @Test
  void aWriteHeldPastItsDeadlineNeedsAttentionWithNothingSaved() {
    w.xero.retryAfter = Duration.ofHours(5);
    w.xero.rateLimitProblem = "day";
    w.xero.failNext("PUT Contacts", times(20, Fault.RATE_LIMITED));
    Operation op = contact("c-13");

    Operation done = w.runToEnd(op);

    assertThat(done.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(done.code).isEqualTo("DEADLINE_PASSED");
    assertThat(done.finishedAt).isEqualTo(op.createdAt.plus(Outbox.DEFAULT_DEADLINE));
    assertThat(done.messages.get(0)).contains("nothing was sent to Xero");
    assertThat(w.xero.contacts).isEmpty();
    assertThat(w.records.backlogFinished).as("its place in the queue is freed").isEqualTo(1);
  }

  @Test
  void aWriteWaitingForASetUpWaitsPastEveryAttemptUntilItsDeadline() {
    w.pendingSetUp();
    Operation pay =
        w.accept(OperationKind.PAYMENT, "p-1", "inv-1", "{\"paymentId\":\"p-1\",\"amount\":10}");

    for (int i = 0; i < 3 * WriteExecutor.MAX_ATTEMPTS; i++) {
      WriteExecutor.Pass pass = w.executor.run(WritePath.TENANT, pay.operationId, true);
      assertThat(pass).isInstanceOf(WriteExecutor.Pass.Later.class);
      w.clock.advance(((WriteExecutor.Pass.Later) pass).delay());
    }
    assertThat(w.load(pay).state).isEqualTo(OperationState.QUEUED);

    w.clock.advance(Outbox.DEFAULT_DEADLINE);
    assertThat(w.pass(pay)).isEqualTo(new WriteExecutor.Pass.Done(OperationState.NEEDS_ATTENTION));
    assertThat(w.load(pay).code).isEqualTo("DEADLINE_PASSED");
  }

  @Test
  void aTokenXeroStillRefusesAfterTheRefreshAsksForAReconnect() {
    w.xero.failNext("PUT Contacts", Fault.TOKEN_EXPIRED, Fault.TOKEN_EXPIRED);

    Operation op = w.runToEnd(contact("c-14"));

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("NOT_CONNECTED");
    assertThat(op.action).startsWith("Reconnect the organisation to Xero");
    assertThat(w.tokensRefreshed).hasSize(1);
  }

  @Test
  void xeroDownThroughoutEndsUnconfirmedAfterTheLastAttemptAndNeverLoops() {
    w.xero.failNext("PUT Contacts", times(3 * WriteExecutor.MAX_ATTEMPTS, Fault.SERVER_ERROR));

    Operation op = w.runToEnd(contact("c-7"));

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("UNCONFIRMED");
    assertThat(op.action).contains("a contact with contact number c-7");
    assertThat(op.attempts).isEqualTo(WriteExecutor.MAX_ATTEMPTS);
    assertThat(w.finished).hasSize(1);
  }

  @Test
  void theQueuesLastDeliveryEndsAnAmbiguousWriteAtOnce() {
    w.xero.failNext("PUT Contacts", times(3, Fault.SERVER_ERROR));
    Operation op = contact("c-9");

    assertThat(w.executor.run(WritePath.TENANT, op.operationId, true))
        .isEqualTo(new WriteExecutor.Pass.Done(OperationState.NEEDS_ATTENTION));
    assertThat(w.load(op).code).isEqualTo("UNCONFIRMED");
  }

  @Test
  void xeroIdempotencyKeyIsRenewedOnlyAfterItsWindow() {
    w.xero.retryAfter = Duration.ofSeconds(30);
    w.xero.failNext("PUT Contacts", times(3, Fault.RATE_LIMITED));
    Operation op = contact("c-10");

    w.pass(op);
    int first = w.load(op).keyGeneration;
    w.clock.advance(Duration.ofMinutes(1));
    w.pass(op);
    assertThat(w.load(op).keyGeneration).isEqualTo(first);
    w.clock.advance(WriteExecutor.KEY_WINDOW);
    w.pass(op);
    assertThat(w.load(op).keyGeneration).isEqualTo(first + 1);
  }

  @Test
  void aRevokedConnectionNeedsAttentionAndAnUnreachableIdentityServiceWaits() {
    w.tokenFailure = new TokenRefreshException("temporarily_unavailable", "identity down");
    Operation op = contact("c-11");

    assertThat(w.pass(op)).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.load(op).state).isEqualTo(OperationState.QUEUED);

    w.tokenFailure = new TokenRefreshException("invalid_grant", "revoked");
    assertThat(w.runToEnd(op).code).isEqualTo("NOT_CONNECTED");
    assertThat(w.xero.writeRequests).isEmpty();
  }

  @Test
  void aPassThatDiedWhileSendingMakesTheNextOneReconcileFirst() {
    w.xero.failNext("PUT Contacts", Fault.WORKER_DIES_AFTER_COMMIT);
    Operation op = contact("c-12");

    Operation done = w.runToEnd(op);

    assertThat(done.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.attempts).isEqualTo(2);
    assertThat(w.xero.contactsNumbered("c-12")).hasSize(1);
  }

  @Test
  void xerosWarningsAreKeptOnTheOperationAndInItsNotification() {
    String warning =
        "Account code '476' has been removed as it does not match a recognised account.";
    w.xero.warnNext("PUT Contacts", warning);

    Operation op = w.runToEnd(contact("c-15"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.toJson().path("warnings").get(0).asText()).isEqualTo(warning);
    assertThat(w.finished.get(0).warnings()).containsExactly(warning);
  }

  @Test
  void xerosRecordedWordsForAnInvoiceWithoutLinesMapToLineItemsRequired() {
    // pyxero's xero/tests/test_exceptions.py: a PAID invoice without lines, live API's answer.
    Completion c =
        Completion.rejected(
            java.util.List.of(
                "One or more line items must be specified",
                "Invoice not of valid status for creation",
                "A Contact must be specified for this type of transaction"));

    assertThat(c.code()).isEqualTo("LINE_ITEMS_REQUIRED");
    assertThat(c.messages()).hasSize(3);
  }
}
