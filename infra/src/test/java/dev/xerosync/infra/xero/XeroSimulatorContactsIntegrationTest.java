package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contacts as Xero keeps them: ContactNumber, names unique across active contacts, archiving and
 * restoring, MergedToContactID, and PUT as create against POST as upsert.
 */
class XeroSimulatorContactsIntegrationTest {
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;

  @BeforeEach
  void start() {
    sim =
        XeroSimulator.builder()
            .clock(SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z")))
            .app("app", "s")
            .start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Contacts Org");
    token = sim.grant("app", org.tenantId()).accessToken();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  SimHttp.Resp send(String method, String path, String body) {
    return http.send(method, path, token, org.tenantId(), body);
  }

  JsonNode contact(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().at("/Contacts/0");
  }

  static List<String> messages(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    r.json().at("/Elements/0/ValidationErrors").forEach(m -> out.add(m.get("Message").asText()));
    return out;
  }

  static String body(String fields) {
    return "{\"Contacts\":[{" + fields + "}]}";
  }

  @Test
  void putCreatesAndRefusesATakenNameOrNumber() {
    JsonNode c =
        contact(
            send(
                "PUT",
                "/api.xro/2.0/Contacts",
                body(
                    "\"Name\":\"Acme\",\"ContactNumber\":\"cust-1\",\"EmailAddress\":\"a@x.co\"")));
    assertThat(c.get("ContactNumber").asText()).isEqualTo("cust-1");
    assertThat(c.get("ContactStatus").asText()).isEqualTo("ACTIVE");
    assertThat(messages(send("PUT", "/api.xro/2.0/Contacts", body("\"Name\":\"ACME\""))))
        .containsExactly(XeroMessages.contactNameTaken("ACME"));
    assertThat(
            messages(
                send(
                    "PUT",
                    "/api.xro/2.0/Contacts",
                    body("\"Name\":\"Other\",\"ContactNumber\":\"cust-1\""))))
        .containsExactly(XeroMessages.CONTACT_NUMBER_TAKEN);
    assertThat(
            messages(
                send(
                    "PUT",
                    "/api.xro/2.0/Contacts",
                    body("\"Name\":\"Long\",\"ContactNumber\":\"" + "n".repeat(51) + "\""))))
        .containsExactly(XeroMessages.CONTACT_NUMBER_TOO_LONG);
    assertThat(
            contact(
                    send(
                        "PUT",
                        "/api.xro/2.0/Contacts",
                        body("\"Name\":\"Fifty\",\"ContactNumber\":\"" + "n".repeat(50) + "\"")))
                .get("Name")
                .asText())
        .isEqualTo("Fifty");
    assertThat(org.contacts()).hasSize(2);
  }

  @Test
  void postUpsertsByIdNumberOrName() {
    String id =
        contact(
                send(
                    "POST",
                    "/api.xro/2.0/Contacts",
                    body("\"Name\":\"Acme\",\"ContactNumber\":\"c-1\"")))
            .get("ContactID")
            .asText();
    JsonNode byNumber =
        contact(
            send(
                "POST",
                "/api.xro/2.0/Contacts",
                body("\"Name\":\"Acme Ltd\",\"ContactNumber\":\"c-1\"")));
    assertThat(byNumber.get("ContactID").asText()).isEqualTo(id);
    assertThat(byNumber.get("Name").asText()).isEqualTo("Acme Ltd");
    JsonNode byName =
        contact(
            send(
                "POST",
                "/api.xro/2.0/Contacts",
                body("\"Name\":\"acme ltd\",\"EmailAddress\":\"ap@acme.co\"")));
    assertThat(byName.get("ContactID").asText()).isEqualTo(id);
    assertThat(byName.get("EmailAddress").asText()).isEqualTo("ap@acme.co");
    assertThat(
            contact(send("POST", "/api.xro/2.0/Contacts/" + id, "{\"ContactNumber\":\"c-2\"}"))
                .get("ContactNumber")
                .asText())
        .isEqualTo("c-2");
    assertThat(org.contacts()).hasSize(1);
    assertThat(
            send("POST", "/api.xro/2.0/Contacts/00000000-0000-0000-0000-000000000000", "{}")
                .status())
        .isEqualTo(404);
  }

  @Test
  void archivedContactsFreeTheirNameRefuseInvoicesAndRestoreByPost() {
    String old = org.createContact("Bolt", "b-1");
    org.archiveContact(old);
    String invoice =
        "{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
            + old
            + "\"},\"DueDate\":\"2026-04-01\",\"LineItems\":[{\"Description\":\"x\",\"Quantity\":1,\"UnitAmount\":5,\"AccountCode\":\"200\"}]}";
    assertThat(messages(send("PUT", "/api.xro/2.0/Invoices", invoice)))
        .containsExactly(XeroMessages.CONTACT_ARCHIVED);

    String fresh =
        contact(send("PUT", "/api.xro/2.0/Contacts", body("\"Name\":\"Bolt\"")))
            .get("ContactID")
            .asText();
    assertThat(
            messages(
                send("POST", "/api.xro/2.0/Contacts/" + old, "{\"ContactStatus\":\"ACTIVE\"}")))
        .as("restoring would make two active Bolts")
        .containsExactly(XeroMessages.contactNameTaken("Bolt"));
    contact(send("POST", "/api.xro/2.0/Contacts/" + fresh, "{\"ContactStatus\":\"ARCHIVED\"}"));
    assertThat(
            contact(send("POST", "/api.xro/2.0/Contacts/" + old, "{\"ContactStatus\":\"ACTIVE\"}"))
                .get("ContactStatus")
                .asText())
        .isEqualTo("ACTIVE");
    assertThat(send("PUT", "/api.xro/2.0/Invoices", invoice).status()).isEqualTo(200);
  }

  @Test
  void aMergedContactPointsToTheOneItWasMergedInto() {
    String dup = org.createContact("Acme (old)", "a-old");
    String kept = org.createContact("Acme");
    String inv =
        org.createAuthorisedInvoice(
            dup, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1), BigDecimal.TEN);
    org.mergeContacts(dup, kept);
    JsonNode merged = contact(send("GET", "/api.xro/2.0/Contacts/" + dup, null));
    assertThat(merged.get("MergedToContactID").asText()).isEqualTo(kept);
    assertThat(merged.get("ContactStatus").asText()).isEqualTo("ARCHIVED");
    assertThat(org.invoice(inv).invoice().contactId()).isEqualTo(kept);
    assertThat(
            send(
                    "GET",
                    "/api.xro/2.0/Contacts?includeArchived=true&where="
                        + java.net.URLEncoder.encode(
                            "ContactNumber==\"a-old\"", java.nio.charset.StandardCharsets.UTF_8),
                    null)
                .json()
                .get("Contacts"))
        .extracting(c -> c.get("ContactID").asText())
        .containsExactly(dup);
  }

  /**
   * MergedToContactID is "only returned when using paging or when fetching a contact by ContactId
   * or ContactNumber" (xero_accounting.yaml, Contact.MergedToContactID): an unpaged list does not
   * say where a merged contact went.
   */
  @Test
  void mergedToContactIdComesOnlyOnASingleReadOrAPagedList() {
    String dup = org.createContact("Acme (dup)", "a-dup");
    String kept = org.createContact("Acme");
    org.mergeContacts(dup, kept);
    String where =
        "&where="
            + java.net.URLEncoder.encode(
                "ContactNumber==\"a-dup\"", java.nio.charset.StandardCharsets.UTF_8);

    JsonNode unpaged =
        contact(send("GET", "/api.xro/2.0/Contacts?includeArchived=true" + where, null));
    JsonNode paged =
        contact(send("GET", "/api.xro/2.0/Contacts?includeArchived=true&page=1" + where, null));
    JsonNode single = contact(send("GET", "/api.xro/2.0/Contacts/" + dup, null));

    assertThat(unpaged.get("ContactID").asText()).isEqualTo(dup);
    assertThat(unpaged.has("MergedToContactID")).as(unpaged.toString()).isFalse();
    assertThat(paged.path("MergedToContactID").asText()).isEqualTo(kept);
    assertThat(single.path("MergedToContactID").asText()).isEqualTo(kept);
  }

  /**
   * Xero keeps every field it is sent and returns Addresses and Phones in the spec example's shape:
   * both address types and all four phone types, "" where nothing was set.
   */
  @Test
  void everyFieldSentIsKeptAndReturnedInXerosShape() {
    JsonNode created =
        contact(
            send(
                "PUT",
                "/api.xro/2.0/Contacts",
                body(
                    "\"Name\":\"Kept Ltd\",\"ContactNumber\":\"k-1\",\"FirstName\":\"Kim\","
                        + "\"LastName\":\"Keeper\",\"EmailAddress\":\"kim@kept.example\","
                        + "\"PaymentTerms\":{\"Sales\":{\"Day\":20,\"Type\":\"OFFOLLOWINGMONTH\"}},"
                        + "\"Phones\":[{\"PhoneType\":\"DEFAULT\",\"PhoneNumber\":\"555 0100\"}],"
                        + "\"Addresses\":[{\"AddressType\":\"POBOX\",\"AddressLine1\":\"1 Main St\","
                        + "\"City\":\"Wellington\",\"PostalCode\":\"6011\",\"Country\":\"NZ\"}]")));
    String id = created.get("ContactID").asText();
    // An update names only the phone it changes; the rest stays as Xero has it.
    contact(
        send(
            "POST",
            "/api.xro/2.0/Contacts/" + id,
            "{\"Phones\":[{\"PhoneType\":\"MOBILE\",\"PhoneNumber\":\"021 555\"}]}"));

    JsonNode read = contact(send("GET", "/api.xro/2.0/Contacts/" + id, null));

    assertThat(read.path("FirstName").asText()).isEqualTo("Kim");
    assertThat(read.path("LastName").asText()).isEqualTo("Keeper");
    assertThat(read.at("/PaymentTerms/Sales/Day").asInt()).isEqualTo(20);
    assertThat(read.at("/PaymentTerms/Sales/Type").asText()).isEqualTo("OFFOLLOWINGMONTH");
    assertThat(read.get("Addresses"))
        .extracting(a -> a.get("AddressType").asText())
        .containsExactly("STREET", "POBOX");
    assertThat(read.at("/Addresses/0/City").asText()).isEmpty();
    assertThat(read.at("/Addresses/1/AddressLine1").asText()).isEqualTo("1 Main St");
    assertThat(read.at("/Addresses/1/City").asText()).isEqualTo("Wellington");
    assertThat(read.at("/Addresses/1/PostalCode").asText()).isEqualTo("6011");
    assertThat(read.get("Phones"))
        .extracting(p -> p.get("PhoneType").asText())
        .containsExactly("DEFAULT", "DDI", "FAX", "MOBILE");
    assertThat(read.at("/Phones/0/PhoneNumber").asText()).isEqualTo("555 0100");
    assertThat(read.at("/Phones/1/PhoneNumber").asText()).isEmpty();
    assertThat(read.at("/Phones/3/PhoneNumber").asText()).isEqualTo("021 555");
  }
}
