package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Xero contact for our customer: the linked one, else the one whose ContactNumber is our id
 * (following a merge), else a new one. An archived contact is never replaced. The lookup always
 * runs before a create: it links a contact made in Xero, and it is the reconciliation after an
 * ambiguous create.
 */
final class ContactLinks {
  private final OperationLog log;

  ContactLinks(OperationLog log) {
    this.log = log;
  }

  /** The contact's id, or why there is none (nothing was created then). */
  record Result(@Nullable String contactId, @Nullable Completion problem) {}

  /**
   * {@code contact} is the write's contact object: xeroContactId, or externalId with name (and
   * optional firstName, lastName, email). {@code updateOwnedFields} sends our fields to a contact
   * that exists.
   */
  Result ensure(XeroCall c, JsonNode contact, boolean updateOwnedFields)
      throws XeroApiException, TokenRefreshException {
    return ensure(c, contact, updateOwnedFields, null);
  }

  /**
   * {@code refused} is Xero's answer to our create when another write (in another lane) may have
   * created the same customer a moment before: look again, and link that one or give that answer.
   */
  private Result ensure(
      XeroCall c, JsonNode contact, boolean updateOwnedFields, @Nullable List<String> refused)
      throws XeroApiException, TokenRefreshException {
    boolean retried = refused != null;
    Operation op = c.op();
    String xeroId = contact.path("xeroContactId").asText(null);
    if (xeroId != null) {
      return new Result(xeroId, null);
    }
    String ext = contact.path("externalId").asText();
    Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.CONTACT, ext);
    if (link.isPresent() && !updateOwnedFields && !retried) {
      return new Result(link.get().path("contactId").asText(), null);
    }
    Optional<JsonNode> found =
        link.isPresent()
            ? ContactLookup.byId(c, link.get().path("contactId").asText())
            : ContactLookup.byNumber(c, ext);
    if (found.isPresent()) {
      return existing(
          c, contact, ext, ContactLookup.followMerge(c, found.get()), updateOwnedFields);
    }
    if (refused != null) {
      return new Result(null, Completion.rejected(refused));
    }
    if (!contact.hasNonNull("name")) {
      return new Result(
          null,
          Completion.failed(
              "CONTACT_REQUIRED",
              "No Xero contact has contact number "
                  + ext
                  + ", and no name was given to create one.",
              "Send contact.name with the first write for a new customer."));
    }
    XeroWrites.Outcome out =
        c.write(
            "PUT",
            "Contacts",
            "Contacts",
            element(contact, ext),
            // Per customer: a history push creates several under one operation, and Xero answers
            // a key it has seen with the first answer.
            "contact-create-" + Outbox.hash(ext).substring(0, 16));
    if (out.rejected()) {
      String code = Corrections.of(out.messages()).code();
      if (code.equals("CONTACT_NUMBER_TAKEN") || code.equals("CONTACT_NAME_TAKEN")) {
        // Another write for the same customer may have created it a moment ago: link that one.
        return ensure(c, contact, updateOwnedFields, out.messages());
      }
      return new Result(null, Completion.rejected(out.messages()));
    }
    String contactId = out.saved().path("ContactID").asText();
    link(op, ext, contactId);
    return new Result(contactId, null);
  }

  private Result existing(
      XeroCall c, JsonNode contact, String ext, JsonNode found, boolean updateOwnedFields)
      throws XeroApiException, TokenRefreshException {
    String contactId = found.path("ContactID").asText();
    if ("ARCHIVED".equals(found.path("ContactStatus").asText())) {
      return new Result(
          null,
          new Completion(
              OperationState.NEEDS_ATTENTION,
              Map.of("contactId", contactId),
              List.of("The contact " + found.path("Name").asText() + " is archived in Xero."),
              "CONTACT_ARCHIVED",
              "Restore the contact in Xero (open it and choose Restore), then send the write"
                  + " again. Nothing was created in its place.",
              "https://go.xero.com/Contacts/View/" + contactId));
    }
    if (updateOwnedFields) {
      ObjectNode el = element(contact, ext);
      el.put("ContactID", contactId);
      XeroWrites.Outcome out =
          c.write("POST", "Contacts/" + contactId, "Contacts", el, "contact-update");
      if (out.rejected()) {
        return new Result(null, Completion.rejected(out.messages()));
      }
    }
    link(c.op(), ext, contactId);
    return new Result(contactId, null);
  }

  /** The fields we own on a contact; everything else in Xero is left as it is. */
  private static ObjectNode element(JsonNode contact, String ext) {
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.put("Name", contact.path("name").asText());
    el.put("ContactNumber", ext);
    if (contact.hasNonNull("firstName")) {
      el.put("FirstName", contact.get("firstName").asText());
    }
    if (contact.hasNonNull("lastName")) {
      el.put("LastName", contact.get("lastName").asText());
    }
    if (contact.hasNonNull("email")) {
      el.put("EmailAddress", contact.get("email").asText());
    }
    return el;
  }

  private void link(Operation op, String ext, String contactId) {
    log.putLink(
        op.tenantId,
        OperationLog.CONTACT,
        ext,
        Json.MAPPER.createObjectNode().put("contactId", contactId));
  }
}
