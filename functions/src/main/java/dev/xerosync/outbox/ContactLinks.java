package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroDates;
import dev.xerosync.xero.XeroWrites;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Xero contact for our customer: the linked one, else the one whose ContactNumber is our id,
 * else a new one. The lookup always runs before a create: it links a contact made in Xero, and it
 * is the reconciliation after an ambiguous create. Merges are followed to the contact that was
 * kept; an archived contact is never replaced.
 *
 * <p>Our fields ({@link ContactFields}) are kept in step: a write that carries values other than we
 * last sent (the link's fingerprint), or that finds Xero's copy changed since (the synced contact
 * is newer than our last push: a manual edit), sends them first, in the write's own lane.
 */
final class ContactLinks {
  private final OperationLog log;
  private final DryRun.Contacts synced;

  ContactLinks(OperationLog log, DryRun.Contacts synced) {
    this.log = log;
    this.synced = synced;
  }

  /** The contact's id, or why there is none (nothing was created then), and what was done. */
  record Result(@Nullable String contactId, @Nullable Completion problem, List<String> notes) {
    static Result linked(String contactId, List<String> notes) {
      return new Result(contactId, null, List.copyOf(notes));
    }

    static Result failed(Completion problem) {
      return new Result(null, problem, List.of());
    }
  }

  /**
   * {@code contact} is the write's contact object: xeroContactId, or externalId with our fields.
   * {@code overwrite} sends our fields to a contact that exists even when nothing seems changed
   * (PUT /contacts); otherwise they are sent only when they differ.
   */
  Result ensure(XeroCall c, JsonNode contact, boolean overwrite)
      throws XeroApiException, TokenRefreshException {
    String xeroId = contact.path("xeroContactId").asText(null);
    if (xeroId != null) {
      return Result.linked(xeroId, List.of());
    }
    Operation op = c.op();
    String ext = contact.path("externalId").asText();
    Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.CONTACT, ext);
    if (link.isPresent()) {
      ObjectNode l = link.get();
      String linked = l.path("contactId").asText();
      if (!l.path("ours").asBoolean(true)) {
        return Result.linked(
            linked,
            overwrite
                ? List.of(
                    "The customer is linked to the Xero contact "
                        + linked
                        + ", which its contact was merged into; its details are left as they are"
                        + " in Xero.")
                : List.of());
      }
      if (!(overwrite
          || ContactFields.changedSince(contact, l.path("pushed"))
          || editedInXero(op.tenantId, l))) {
        return Result.linked(linked, List.of());
      }
      Optional<JsonNode> found = ContactLookup.byId(c, linked);
      if (found.isPresent()) {
        return existing(c, contact, ext, found.get(), overwrite, link);
      }
    }
    Optional<JsonNode> found = ContactLookup.byNumber(c, ext);
    if (found.isPresent()) {
      return existing(c, contact, ext, found.get(), overwrite, Optional.empty());
    }
    if (!contact.hasNonNull("name")) {
      if (log.contactPending(op.tenantId, ext, op.operationId)) {
        return Result.failed(
            Completion.waitFor(
                "The write waits for contact " + ext + ", which an earlier write is creating.",
                "CONTACT_REQUIRED",
                "Check the write that creates contact "
                    + ext
                    + " (PUT /contacts or an invoice with contact.name), then send this write"
                    + " again."));
      }
      return Result.failed(
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
            ContactFields.element(contact, ext),
            // Per customer: a history push creates several under one operation, and Xero answers
            // a key it has seen with the first answer.
            "contact-create-" + Outbox.hash(ext).substring(0, 16));
    if (out.rejected()) {
      return refused(c, contact, ext, out.messages());
    }
    return linked(c.op(), contact, ext, out.saved(), true, null, List.of());
  }

  /**
   * Xero refused our create. Another write for the same customer may have created it a moment ago
   * (in another lane): link that one. A name held by a contact with no ContactNumber (or ours) is
   * linked and numbered; one held by another customer's contact is named in the failure.
   */
  private Result refused(XeroCall c, JsonNode contact, String ext, List<String> messages)
      throws XeroApiException, TokenRefreshException {
    String code = Corrections.of(messages).code();
    if (!code.equals("CONTACT_NUMBER_TAKEN") && !code.equals("CONTACT_NAME_TAKEN")) {
      return Result.failed(Completion.rejected(messages));
    }
    Optional<JsonNode> ours = ContactLookup.byNumber(c, ext);
    if (ours.isPresent()) {
      return existing(c, contact, ext, ours.get(), false, Optional.empty());
    }
    if (!code.equals("CONTACT_NAME_TAKEN")) {
      return Result.failed(Completion.rejected(messages));
    }
    String name = contact.path("name").asText();
    Optional<JsonNode> holder = ContactLookup.activeByName(c, name);
    if (holder.isEmpty()) {
      return Result.failed(Completion.rejected(messages));
    }
    JsonNode h = holder.get();
    String holderId = h.path("ContactID").asText();
    String number = h.path("ContactNumber").asText("");
    if (number.isEmpty()) {
      XeroWrites.Outcome out =
          c.write(
              "POST",
              "Contacts/" + holderId,
              "Contacts",
              ContactFields.element(contact, ext).put("ContactID", holderId),
              "contact-claim-" + Outbox.hash(ext).substring(0, 16));
      if (out.rejected()) {
        return Result.failed(Completion.rejected(out.messages()));
      }
      return linked(
          c.op(),
          contact,
          ext,
          out.saved(),
          true,
          null,
          List.of(
              "Linked the Xero contact "
                  + name
                  + " ("
                  + holderId
                  + "), which had this name and no contact number; its contact number is now "
                  + ext
                  + "."));
    }
    List<String> all = new ArrayList<>(messages);
    all.add(
        "The name "
            + name
            + " belongs to the Xero contact "
            + holderId
            + ", whose contact number is "
            + number
            + ".");
    Corrections.Correction fix = Corrections.of(messages);
    return Result.failed(
        new Completion(
            OperationState.FAILED,
            Map.of("contactId", holderId),
            all,
            fix.code(),
            fix.action(),
            "https://go.xero.com/Contacts/View/" + holderId));
  }

  /**
   * Xero refused a write because the contact we gave it ({@code usedId}) is archived: read it by
   * id. Merged, the write goes on with the contact it was merged into (now linked); really
   * archived, the restore advice.
   */
  Result afterArchived(XeroCall c, JsonNode contact, String usedId)
      throws XeroApiException, TokenRefreshException {
    Optional<JsonNode> found = ContactLookup.byId(c, usedId);
    String ext = contact.path("externalId").asText(null);
    if (found.isEmpty() || ext == null) {
      return Result.failed(archived(usedId, usedId));
    }
    return existing(c, contact, ext, found.get(), false, Optional.empty());
  }

  private Result existing(
      XeroCall c,
      JsonNode contact,
      String ext,
      JsonNode found,
      boolean overwrite,
      Optional<ObjectNode> link)
      throws XeroApiException, TokenRefreshException {
    ContactLookup.Resolved r = ContactLookup.resolve(c, found);
    JsonNode kept = r.contact();
    String contactId = kept.path("ContactID").asText();
    if ("ARCHIVED".equals(kept.path("ContactStatus").asText())) {
      return Result.failed(archived(contactId, kept.path("Name").asText()));
    }
    List<String> notes = new ArrayList<>();
    JsonNode from = r.mergedFrom();
    if (from != null) {
      notes.add(
          "The Xero contact "
              + from.path("Name").asText()
              + " ("
              + from.path("ContactID").asText()
              + ") was merged into "
              + kept.path("Name").asText()
              + " ("
              + contactId
              + "): the write uses that one, and it is now linked.");
    }
    boolean ours = ext.equals(kept.path("ContactNumber").asText());
    if (!ours) {
      // Merged into someone else's contact: its details are theirs, so ours are not sent to it.
      notes.add("Its details are left as they are in Xero: it is not numbered " + ext + ".");
      return linked(c.op(), contact, ext, kept, false, link.orElse(null), notes);
    }
    if (overwrite || ContactFields.differ(contact, kept)) {
      ObjectNode el = ContactFields.element(contact, ext);
      el.put("ContactID", contactId);
      XeroWrites.Outcome out =
          c.write("POST", "Contacts/" + contactId, "Contacts", el, "contact-update");
      if (out.rejected()) {
        return Result.failed(Completion.rejected(out.messages()));
      }
      kept = out.saved();
    }
    return linked(c.op(), contact, ext, kept, true, link.orElse(null), notes);
  }

  /** Really archived (not merged): a person restores it; nothing is created in its place. */
  private static Completion archived(String contactId, String name) {
    return new Completion(
        OperationState.NEEDS_ATTENTION,
        Map.of("contactId", contactId),
        List.of("The contact " + name + " is archived in Xero."),
        "CONTACT_ARCHIVED",
        "Restore the contact in Xero (open it and choose Restore), then send the write"
            + " again. Nothing was created in its place.",
        "https://go.xero.com/Contacts/View/" + contactId);
  }

  /**
   * Links {@code xero} (as Xero holds it now) to our customer, with the fingerprint of what the
   * write carried and Xero's UpdatedDateUTC, against which a later manual edit is told apart.
   */
  private Result linked(
      Operation op,
      JsonNode contact,
      String ext,
      JsonNode xero,
      boolean ours,
      @Nullable ObjectNode before,
      List<String> notes) {
    String contactId = xero.path("ContactID").asText();
    ObjectNode l = Json.MAPPER.createObjectNode().put("contactId", contactId);
    if (!ours) {
      l.put("ours", false);
    } else {
      JsonNode earlier =
          before != null && contactId.equals(before.path("contactId").asText())
              ? before.path("pushed")
              : Json.MAPPER.createObjectNode();
      l.set("pushed", ContactFields.fingerprint(contact, earlier));
      Instant updated = XeroDates.instant(xero.path("UpdatedDateUTC").asText(null));
      if (updated != null) {
        l.put("xeroUpdatedMs", updated.toEpochMilli());
      }
    }
    log.putLink(op.tenantId, OperationLog.CONTACT, ext, l);
    return Result.linked(contactId, notes);
  }

  /** The synced copy of the contact is newer than Xero's answer to our last push or read. */
  private boolean editedInXero(String tenantId, JsonNode link) {
    if (!link.has("xeroUpdatedMs")) {
      return false;
    }
    Optional<XeroContact> copy = synced.get(tenantId, link.path("contactId").asText());
    return copy.isPresent()
        && copy.get().updatedDateUtc() != null
        && copy.get().updatedDateUtc().toEpochMilli() > link.path("xeroUpdatedMs").asLong();
  }
}
