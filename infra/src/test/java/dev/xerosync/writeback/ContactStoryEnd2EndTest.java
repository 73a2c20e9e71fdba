package dev.xerosync.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.ContactDetails;
import dev.xerosync.queue.WriteQueue;
import dev.xerosync.store.ContactStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commerce seed's contact story through the write API, with every field we own checked in the
 * simulator at each step: create, reuse, a manual edit in Xero overwritten on the next push, a name
 * edit pushed, archive then restore, a duplicate merged into ours, and ours merged into another.
 * Then the payments seed's deposits: the minimal one, and one for a customer created at once.
 */
class ContactStoryEnd2EndTest extends WriteBackStage {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private JsonNode run(SimOrganisation org, String method, String path, String body) {
    WriteBackApi.Response r = api.send(method, org.tenantId(), path, body, null);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
    return api.awaitTerminal(org.tenantId(), r.operationId(), WAIT);
  }

  private static String contact(String name, String email) {
    return "{\"externalId\":\"shopper-1\",\"name\":\""
        + name
        + "\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\""
        + email
        + "\",\"phone\":\"+64 4 555 0100\",\"billingAddress\":{\"addressLine1\":\"1 Analytical Way\","
        + "\"city\":\"Wellington\",\"region\":\"Wellington\",\"postalCode\":\"6011\","
        + "\"country\":\"New Zealand\"}}";
  }

  private static String invoice(String contact) {
    return "{\"contact\":"
        + contact
        + ",\"status\":\"AUTHORISED\",\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(14)
        + "\",\"lineItems\":[{\"description\":\"Order\",\"quantity\":1,\"unitAmount\":25,"
        + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  private JsonNode push(SimOrganisation org, String order, String contact) {
    JsonNode done = run(org, "PUT", "/invoices/" + order, invoice(contact));
    return done;
  }

  private static String invoiceContact(SimOrganisation org, JsonNode op) {
    return org.invoice(op.path("xero").path("invoiceId").asText()).contact().contactId();
  }

  /** Every field we own, as Xero holds it. */
  private static void assertOurs(Contact c, String name, String email) {
    assertThat(c.contactNumber()).isEqualTo("shopper-1");
    assertThat(c.status()).isEqualTo("ACTIVE");
    assertThat(c.name()).isEqualTo(name);
    assertThat(c.emailAddress()).isEqualTo(email);
    ContactDetails d = c.details();
    assertThat(d.fields()).containsEntry("FirstName", "Ada").containsEntry("LastName", "Lovelace");
    assertThat(d.phones().get("DEFAULT")).containsEntry("PhoneNumber", "+64 4 555 0100");
    assertThat(d.addresses().get("POBOX"))
        .containsEntry("AddressLine1", "1 Analytical Way")
        .containsEntry("AddressLine2", "")
        .containsEntry("City", "Wellington")
        .containsEntry("Region", "Wellington")
        .containsEntry("PostalCode", "6011")
        .containsEntry("Country", "New Zealand");
  }

  @Test
  void theCommerceSeedsContactStory() {
    SimOrganisation org = connected("Contact Story Ltd");
    String email = "ada@analytical.example";

    // Create: every field we own reaches Xero.
    JsonNode first = push(org, "o-1", contact("Ada Lovelace Ltd", email));
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    String ours = invoiceContact(org, first);
    assertOurs(org.contact(ours), "Ada Lovelace Ltd", email);
    int contacts = org.contacts().size();

    // Reuse: the same contact, nothing new.
    JsonNode second = push(org, "o-2", contact("Ada Lovelace Ltd", email));
    assertThat(invoiceContact(org, second)).isEqualTo(ours);
    assertThat(org.contacts()).hasSize(contacts);

    // A manual edit in Xero, seen by the sync, is overwritten on the next push.
    org.editContact(
        ours,
        "Ada (edited in Xero)",
        "someone@else.example",
        new ContactDetails(
            Map.of("FirstName", "Augusta"),
            Map.of("POBOX", Map.of("City", "Auckland")),
            Map.of("DEFAULT", Map.of("PhoneNumber", "000"))));
    awaitSynced(org, ours);
    JsonNode third = push(org, "o-3", contact("Ada Lovelace Ltd", email));
    assertThat(third.path("state").asText()).as(third.toString()).isEqualTo("SUCCEEDED");
    assertOurs(org.contact(ours), "Ada Lovelace Ltd", email);

    // A name edit in the app is pushed before the invoice.
    JsonNode renamed = push(org, "o-4", contact("Ada Lovelace Limited", email));
    assertThat(renamed.path("state").asText()).as(renamed.toString()).isEqualTo("SUCCEEDED");
    assertOurs(org.contact(ours), "Ada Lovelace Limited", email);
    assertThat(org.contacts()).hasSize(contacts);

    // Archived in Xero: restore advice, nothing created; restored: the push goes through.
    org.archiveContact(ours);
    JsonNode archived = push(org, "o-5", contact("Ada Lovelace Limited", email));
    assertThat(archived.path("state").asText())
        .as(archived.toString())
        .isEqualTo("NEEDS_ATTENTION");
    assertThat(archived.path("code").asText()).isEqualTo("CONTACT_ARCHIVED");
    assertThat(archived.path("action").asText()).startsWith("Restore the contact in Xero");
    assertThat(org.contacts()).hasSize(contacts);
    org.restoreContact(ours);
    JsonNode restored = push(org, "o-5", contact("Ada Lovelace Limited", email));
    assertThat(restored.path("state").asText()).as(restored.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoiceContact(org, restored)).isEqualTo(ours);

    // A duplicate merged into ours: its invoice moves to ours, and ours stays as it is.
    String dup = org.createContact("Ada L. (duplicate)");
    String dupInvoice =
        org.createAuthorisedInvoice(
            dup, LocalDate.now(), LocalDate.now().plusDays(7), BigDecimal.TEN);
    org.mergeContacts(dup, ours);
    JsonNode afterDup = push(org, "o-6", contact("Ada Lovelace Limited", email));
    assertThat(afterDup.path("state").asText()).as(afterDup.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoiceContact(org, afterDup)).isEqualTo(ours);
    assertThat(org.invoice(dupInvoice).contact().contactId()).isEqualTo(ours);
    assertOurs(org.contact(ours), "Ada Lovelace Limited", email);

    // Ours merged into another: the write follows the merge, and leaves the other's details.
    String other = org.createContact("Lovelace Holdings", "their-77");
    org.mergeContacts(ours, other);
    JsonNode followed = push(org, "o-7", contact("Ada Lovelace Limited", email));
    assertThat(followed.path("state").asText()).as(followed.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoiceContact(org, followed)).isEqualTo(other);
    assertThat(followed.path("messages").toString()).contains("was merged into Lovelace Holdings");
    JsonNode explicit =
        run(org, "PUT", "/contacts/shopper-1", "{\"name\":\"Ada Lovelace Limited\"}");
    assertThat(explicit.path("state").asText()).as(explicit.toString()).isEqualTo("SUCCEEDED");
    assertThat(explicit.path("xero").path("contactId").asText()).isEqualTo(other);
    Contact kept = org.contact(other);
    assertThat(kept.name()).isEqualTo("Lovelace Holdings");
    assertThat(kept.contactNumber()).isEqualTo("their-77");
    assertThat(kept.status()).isEqualTo("ACTIVE");
    assertThat(org.contact(ours).status()).isEqualTo("ARCHIVED");
    assertThat(org.contact(ours).mergedToContactId()).isEqualTo(other);
    assertThat(org.contacts().stream().filter(c -> "shopper-1".equals(c.contactNumber())))
        .hasSize(1);
  }

  @Test
  void theMinimalDepositGoesToTheDepositsContactAndANewCustomersDepositWaitsForIt() {
    SimOrganisation org = connected("Deposit Story Ltd");
    JsonNode setUp =
        run(
            org,
            "PUT",
            "/settings/accounting",
            "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"090\"}");
    assertThat(setUp.path("state").asText()).as(setUp.toString()).isEqualTo("SUCCEEDED");

    JsonNode minimal =
        run(
            org,
            "POST",
            "/deposits",
            "{\"depositId\":\"dep-1\",\"amount\":40,\"accountCode\":\"200\"}");
    assertThat(minimal.path("state").asText()).as(minimal.toString()).isEqualTo("SUCCEEDED");
    List<Contact> deposits =
        org.contacts().stream()
            .filter(c -> "xero-sync:deposits".equals(c.contactNumber()))
            .toList();
    assertThat(deposits).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("Deposits"));
    assertThat(org.bankTransactions().get(0).contactId()).isEqualTo(deposits.get(0).contactId());

    // A customer created and a deposit naming it, sent together in two lanes.
    assertThat(WriteQueue.lane("contact:buyer-9")).isNotEqualTo(WriteQueue.lane("deposit:dep-2"));
    var created =
        api.send("PUT", org.tenantId(), "/contacts/buyer-9", "{\"name\":\"Buyer Nine\"}", null);
    var deposit =
        api.send(
            "POST",
            org.tenantId(),
            "/deposits",
            "{\"depositId\":\"dep-2\",\"amount\":15,\"accountCode\":\"200\","
                + "\"contact\":{\"externalId\":\"buyer-9\"}}",
            null);
    JsonNode dep = api.awaitTerminal(org.tenantId(), deposit.operationId(), WAIT);
    assertThat(dep.path("state").asText()).as(dep.toString()).isEqualTo("SUCCEEDED");
    assertThat(
            api.awaitTerminal(org.tenantId(), created.operationId(), WAIT).path("state").asText())
        .isEqualTo("SUCCEEDED");
    String buyer =
        org.contacts().stream()
            .filter(c -> "buyer-9".equals(c.contactNumber()))
            .findFirst()
            .orElseThrow()
            .contactId();
    assertThat(org.bankTransactions())
        .filteredOn(t -> "dep-2".equals(t.reference()))
        .singleElement()
        .satisfies(t -> assertThat(t.contactId()).isEqualTo(buyer));
  }

  /** The sync has stored Xero's copy of the contact as it is now (its webhook came through). */
  private void awaitSynced(SimOrganisation org, String contactId) {
    ContactStore store =
        new ContactStore(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"));
    var wanted = org.contact(contactId).updatedDateUtc();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var copy = store.get(org.tenantId(), contactId);
      if (copy.isPresent()
          && copy.get().updatedDateUtc() != null
          && !copy.get()
              .updatedDateUtc()
              .isBefore(wanted.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))) {
        return;
      }
      WriteBackApi.sleep(50);
    }
    throw new AssertionError("the sync never stored the edited contact");
  }
}
