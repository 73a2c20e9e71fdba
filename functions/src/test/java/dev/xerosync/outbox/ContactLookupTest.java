package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.xero.XeroApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContactLookupTest {
  private final WritePath w = new WritePath();
  private final Operation op = w.accept(OperationKind.CONTACT_UPSERT, "cust", null, "{}");

  @Test
  void findsOurNumberArchivedOrNot() throws Exception {
    w.xero.contact("cust-10", "Other", "ACTIVE");
    JsonNode archived = w.xero.contact("cust", "Ours", "ARCHIVED");

    assertThat(ContactLookup.byNumber(w.call(op), "cust")).hasValue(archived);
    assertThat(ContactLookup.byNumber(w.call(op), "cust-2")).isEmpty();
  }

  @Test
  void aMergedContactLeadsToTheOneItWasMergedIntoReadByIdWhenTheListOmitsIt() throws Exception {
    ObjectNode kept = w.xero.contact("kept", "Kept", "ACTIVE");
    w.xero.merge(w.xero.contact("cust", "Merged", "ACTIVE"), kept);

    JsonNode found = ContactLookup.byNumber(w.call(op), "cust").orElseThrow();
    ContactLookup.Resolved r = ContactLookup.resolve(w.call(op), found);

    assertThat(found.has("MergedToContactID")).as("an unpaged list does not say").isFalse();
    assertThat(r.contact()).isEqualTo(kept);
    assertThat(r.merged()).isTrue();
  }

  @Test
  void anActiveContactIsItselfWithoutAnotherRead() throws Exception {
    ObjectNode c = w.xero.contact("cust", "C", "ACTIVE");
    c.put("MergedToContactID", "00000000-0000-0000-0000-000000000000");

    assertThat(ContactLookup.resolve(w.call(op), c).contact()).isSameAs(c);
    assertThat(w.xero.reads).isEmpty();
  }

  @Test
  void aContactGoneFromXeroIsEmpty() throws Exception {
    assertThat(ContactLookup.byId(w.call(op), "no-such-contact")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "RATE_LIMITED", "TIMEOUT_AFTER_COMMIT", "LOST_ANSWER"})
  void aLookupThatFailsThrows(Fault fault) {
    w.xero.failReads(fault);

    assertThatThrownBy(() -> ContactLookup.byNumber(w.call(op), "cust"))
        .isInstanceOf(XeroApiException.class);
  }

  /** A create whose answer was lost, and whose lookup then failed, is never sent again blind. */
  @Test
  void anUnansweredLookupHoldsTheResendBack() {
    w.xero.failNext("PUT Contacts", Fault.TIMEOUT_AFTER_COMMIT);
    Operation upsert = w.accept(OperationKind.CONTACT_UPSERT, "cust-9", null, "{\"name\":\"N\"}");
    // The lookup before the create answers; the two after it fail.
    w.xero.failReadsAfter(1, Fault.SERVER_ERROR, Fault.SERVER_ERROR);

    WriteExecutor.Pass first = w.pass(upsert);

    assertThat(first).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.xero.contactsNumbered("cust-9")).hasSize(1);
    assertThat(w.runToEnd(upsert).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.contactsNumbered("cust-9")).hasSize(1);
  }
}
