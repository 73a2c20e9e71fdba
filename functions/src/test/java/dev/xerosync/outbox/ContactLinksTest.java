package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.xero.XeroContact;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Our customer's contact kept in step with what the product sends: phone and billing address,
 * details changed on an invoice, a manual edit in Xero, merges either way, and a name another
 * contact holds.
 */
class ContactLinksTest {
  private final WritePath w = new WritePath();

  private static String invoice(String contact) {
    return "{\"contact\":"
        + contact
        + ",\"status\":\"DRAFT\",\"date\":\"2026-11-01\",\"dueDate\":\"2026-12-01\","
        + "\"lineItems\":[{\"description\":\"Work\",\"quantity\":1,\"unitAmount\":10,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  private Operation push(String invoiceId, String contact) {
    return w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, invoiceId, null, invoice(contact)));
  }

  private Operation upsert(String customer, String body) {
    return w.runToEnd(w.accept(OperationKind.CONTACT_UPSERT, customer, null, body));
  }

  private ObjectNode only(String number) {
    assertThat(w.xero.contactsNumbered(number)).hasSize(1);
    return w.xero.contactsNumbered(number).get(0);
  }

  private String invoiceContact(Operation op) {
    return w.xero.invoices.get(op.xero.get("invoiceId")).path("Contact").path("ContactID").asText();
  }

  @Test
  void phoneAndBillingAddressReachXeroAsItsDefaultPhoneAndPoboxAddress() {
    Operation op =
        upsert(
            "cust-1",
            "{\"name\":\"Alpha Ltd\",\"phone\":\"+64 4 555 0100\",\"billingAddress\":"
                + "{\"addressLine1\":\"1 Main St\",\"city\":\"Wellington\",\"postalCode\":\"6011\","
                + "\"country\":\"NZ\"}}");
    push("inv-1", "{\"externalId\":\"cust-2\",\"name\":\"Beta Ltd\",\"phone\":\"555 0200\"}");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    JsonNode alpha = only("cust-1");
    assertThat(alpha.at("/Phones/0/PhoneType").asText()).isEqualTo("DEFAULT");
    assertThat(alpha.at("/Phones/0/PhoneNumber").asText()).isEqualTo("+64 4 555 0100");
    assertThat(alpha.at("/Addresses/0/AddressType").asText()).isEqualTo("POBOX");
    assertThat(alpha.at("/Addresses/0/AddressLine1").asText()).isEqualTo("1 Main St");
    assertThat(alpha.at("/Addresses/0/City").asText()).isEqualTo("Wellington");
    assertThat(alpha.at("/Addresses/0/PostalCode").asText()).isEqualTo("6011");
    assertThat(alpha.at("/Addresses/0/Country").asText()).isEqualTo("NZ");
    assertThat(alpha.at("/Addresses/0/AddressLine2").asText("absent")).as("cleared").isEmpty();
    assertThat(only("cust-2").at("/Phones/0/PhoneNumber").asText()).isEqualTo("555 0200");
  }

  @Test
  void aNameChangedOnTheNextInvoiceIsSentToTheContactFirstInTheSameWrite() {
    push("inv-1", "{\"externalId\":\"cust\",\"name\":\"Gamma\",\"email\":\"a@gamma.example\"}");
    w.xero.writeRequests.clear();

    Operation op =
        push(
            "inv-2",
            "{\"externalId\":\"cust\",\"name\":\"Gamma Ltd\",\"email\":\"a@gamma.example\"}");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.writeRequests).containsExactly("POST Contacts", "PUT Invoices");
    assertThat(only("cust").path("Name").asText()).isEqualTo("Gamma Ltd");
    assertThat(invoiceContact(op)).isEqualTo(only("cust").path("ContactID").asText());
  }

  @Test
  void anInvoiceUpdateCarryingANewEmailSendsItToo() {
    push("inv-1", "{\"externalId\":\"cust\",\"name\":\"Delta\",\"email\":\"old@delta.example\"}");

    Operation op =
        push(
            "inv-1",
            "{\"externalId\":\"cust\",\"name\":\"Delta\",\"email\":\"new@delta.example\"}");

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(only("cust").path("EmailAddress").asText()).isEqualTo("new@delta.example");
  }

  @Test
  void unchangedDetailsCostNoXeroCallForTheContact() {
    String contact = "{\"externalId\":\"cust\",\"name\":\"Eta\",\"phone\":\"1\"}";
    push("inv-1", contact);
    w.xero.writeRequests.clear();
    w.xero.reads.clear();

    push("inv-2", contact);

    assertThat(w.xero.writeRequests).containsExactly("PUT Invoices");
    assertThat(w.xero.reads).isEmpty();
  }

  @Test
  void aManualEditInXeroIsOverwrittenOnTheNextPushOnceTheSyncHasSeenIt() {
    String contact = "{\"externalId\":\"cust\",\"name\":\"Theta\",\"email\":\"t@theta.example\"}";
    push("inv-1", contact);
    ObjectNode inXero = only("cust");
    String id = inXero.path("ContactID").asText();
    // Someone edits the contact in Xero; the sync stores Xero's newer copy.
    inXero.put("Name", "Theta (edited)").put("EmailAddress", "x@elsewhere.example");
    // After our create (the fake's clock moves a second a write), before our next write.
    Instant edited = Instant.ofEpochMilli(1_800_000_002_500L);
    inXero.put("UpdatedDateUTC", "/Date(" + edited.toEpochMilli() + "+0000)/");
    w.synced.put(id, new XeroContact(id, "Theta (edited)", "ACTIVE", true, false, null, edited));

    Operation op = push("inv-2", contact);

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(only("cust").path("Name").asText()).isEqualTo("Theta");
    assertThat(only("cust").path("EmailAddress").asText()).isEqualTo("t@theta.example");
    w.xero.writeRequests.clear();
    push("inv-3", contact);
    assertThat(w.xero.writeRequests)
        .as("overwritten once, not on every push")
        .containsExactly("PUT Invoices");
  }

  @Test
  void oursMergedIntoAnotherContactMovesTheWriteToItAndLeavesItsDetails() {
    String contact = "{\"externalId\":\"cust\",\"name\":\"Iota\"}";
    push("inv-1", contact);
    ObjectNode other = w.xero.contact("their-1", "Iota Holdings", "ACTIVE");
    w.xero.merge(only("cust"), other);

    Operation op = push("inv-2", contact);
    Operation renamed = upsert("cust", "{\"name\":\"Iota Renamed\"}");

    assertThat(op.state).as(op.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(invoiceContact(op)).isEqualTo(other.path("ContactID").asText());
    assertThat(op.messages.toString()).contains("was merged into Iota Holdings");
    assertThat(renamed.state).as(renamed.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(renamed.xero).containsEntry("contactId", other.path("ContactID").asText());
    assertThat(renamed.messages.toString()).contains("its details are left as they are in Xero");
    assertThat(other.path("Name").asText()).isEqualTo("Iota Holdings");
    assertThat(other.path("ContactNumber").asText()).isEqualTo("their-1");
    assertThat(w.xero.savedCount("PUT Contacts")).isEqualTo(1);
  }

  @Test
  void aContactFoundArchivedByNumberIsReadByIdAndItsMergeFollowed() {
    ObjectNode kept = w.xero.contact("kappa", "Kappa", "ACTIVE");
    w.xero.merge(w.xero.contact("cust", "Kappa (old)", "ACTIVE"), kept);

    Operation op = push("inv-1", "{\"externalId\":\"cust\",\"name\":\"Kappa (old)\"}");

    assertThat(op.state).as(op.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(invoiceContact(op)).isEqualTo(kept.path("ContactID").asText());
  }

  @Test
  void aDuplicateMergedIntoOursChangesNothingForUs() {
    String contact = "{\"externalId\":\"cust\",\"name\":\"Lambda\"}";
    push("inv-1", contact);
    ObjectNode dup = w.xero.contact("", "Lambda Dup", "ACTIVE");
    w.xero.merge(dup, only("cust"));

    Operation op = push("inv-2", contact);

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.messages).isEmpty();
    assertThat(invoiceContact(op)).isEqualTo(only("cust").path("ContactID").asText());
  }

  @Test
  void aLinkedContactReallyArchivedAsksForARestoreAndCreatesNothing() {
    String contact = "{\"externalId\":\"cust\",\"name\":\"Mu\"}";
    push("inv-1", contact);
    only("cust").put("ContactStatus", "ARCHIVED");

    Operation op = push("inv-2", contact);

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("CONTACT_ARCHIVED");
    assertThat(op.action).startsWith("Restore the contact in Xero");
    assertThat(w.xero.contacts).hasSize(1);
  }

  @Test
  void aNameHeldByAContactWithoutANumberLinksItAndSaysSo() {
    ObjectNode holder = w.xero.contact("", "Nu Ltd", "ACTIVE");

    Operation op = upsert("cust", "{\"name\":\"Nu Ltd\",\"email\":\"nu@nu.example\"}");

    assertThat(op.state).as(op.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(op.xero).containsEntry("contactId", holder.path("ContactID").asText());
    assertThat(holder.path("ContactNumber").asText()).isEqualTo("cust");
    assertThat(holder.path("EmailAddress").asText()).isEqualTo("nu@nu.example");
    assertThat(op.messages.toString()).contains("Linked the Xero contact Nu Ltd");
    assertThat(w.xero.contacts).hasSize(1);
  }

  @Test
  void aNameHeldByAnotherCustomersContactNamesIt() {
    ObjectNode holder = w.xero.contact("someone-else", "Xi Ltd", "ACTIVE");

    Operation op = upsert("cust", "{\"name\":\"Xi Ltd\"}");

    assertThat(op.state).isEqualTo(OperationState.FAILED);
    assertThat(op.code).isEqualTo("CONTACT_NAME_TAKEN");
    assertThat(op.messages.toString())
        .contains(holder.path("ContactID").asText())
        .contains("someone-else");
    assertThat(op.actionUrl).endsWith(holder.path("ContactID").asText());
    assertThat(holder.path("ContactNumber").asText()).isEqualTo("someone-else");
  }
}
