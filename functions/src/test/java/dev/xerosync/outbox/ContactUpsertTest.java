package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.outbox.FakeXero.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContactUpsertTest {
  private final WritePath w = new WritePath();

  private Operation upsert(String id, String name) {
    return w.runToEnd(
        w.accept(
            OperationKind.CONTACT_UPSERT,
            id,
            null,
            "{\"name\":\"" + name + "\",\"email\":\"" + id + "@example.com\"}"));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void aContactIsCreatedOnceWhateverItsSendComesTo(Fault fault) {
    w.xero.failNext("PUT Contacts", fault);

    Operation op = upsert("cust-1", "Alpha Ltd");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.contactsNumbered("cust-1")).hasSize(1);
    assertThat(w.xero.savedCount("PUT Contacts")).isEqualTo(1);
    String contactId = w.xero.contactsNumbered("cust-1").get(0).path("ContactID").asText();
    assertThat(op.xero).containsEntry("contactId", contactId);
    assertThat(w.link(OperationLog.CONTACT, "cust-1").path("contactId").asText())
        .isEqualTo(contactId);
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void anUpdateReachesTheOneContactWhateverItsSendComesTo(Fault fault) {
    upsert("cust-2", "Beta Ltd");
    w.xero.failNext("POST Contacts", fault);

    Operation op = upsert("cust-2", "Beta Limited");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.contactsNumbered("cust-2"))
        .singleElement()
        .satisfies(c -> assertThat(c.path("Name").asText()).isEqualTo("Beta Limited"));
  }

  @Test
  void aContactMadeInXeroIsLinkedNotDuplicated() {
    JsonNode inXero = w.xero.contact("cust-3", "Gamma Ltd", "ACTIVE");

    Operation op = upsert("cust-3", "Gamma Ltd");

    assertThat(op.xero).containsEntry("contactId", inXero.path("ContactID").asText());
    assertThat(w.xero.savedCount("PUT Contacts")).isZero();
  }

  @Test
  void anArchivedContactIsNeverReplaced() {
    JsonNode archived = w.xero.contact("cust-4", "Delta Ltd", "ARCHIVED");

    Operation op = upsert("cust-4", "Delta Ltd");

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("CONTACT_ARCHIVED");
    assertThat(op.actionUrl).endsWith(archived.path("ContactID").asText());
    assertThat(w.xero.contactsNumbered("cust-4")).hasSize(1);
  }

  @Test
  void aNameTakenByAnotherContactIsRefusedWithItsCode() {
    w.xero.contact("someone-else", "Epsilon Ltd", "ACTIVE");

    Operation op = upsert("cust-5", "Epsilon Ltd");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("CONTACT_NAME_TAKEN");
    assertThat(w.xero.contactsNumbered("cust-5")).isEmpty();
  }
}
