package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * PUT /invoices/{id}: creates the invoice under our id as its InvoiceNumber, or changes the one
 * already linked. After an ambiguous create the invoice is looked up by number and adopted; after
 * an ambiguous status change, the invoice's status shows whether it was applied.
 */
final class InvoiceUpsert implements OperationWrite {
  private final OperationLog log;
  private final InvoiceLinks links;
  private final ContactLinks contacts;

  InvoiceUpsert(OperationLog log, InvoiceLinks links, ContactLinks contacts) {
    this.log = log;
    this.links = links;
    this.contacts = contacts;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    Optional<ObjectNode> link = links.find(op.tenantId, op.externalId);
    return link.isEmpty() ? create(c) : update(c, link.get());
  }

  private Completion create(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    JsonNode body = op.request;
    String lines = XeroInvoiceElement.linesFingerprint(body);
    if (op.ambiguous) {
      Optional<JsonNode> ours = InvoiceByNumber.find(c, op.externalId);
      if (ours.isPresent()) {
        // Our earlier create reached Xero: adopt it instead of creating a second one.
        return Completion.succeeded(InvoiceLinks.ids(links.link(op, ours.get(), lines)));
      }
    }
    if (!body.has("contact")) {
      return Completion.failed(
          "CONTACT_REQUIRED",
          "A new invoice needs a contact",
          "Send the invoice with contact.externalId and contact.name (or contact.xeroContactId).");
    }
    ContactLinks.Result contact = contacts.ensure(c, body.get("contact"), false);
    if (contact.problem() != null) {
      return contact.problem();
    }
    String status = WriteRequests.text(body, "status");
    if (status == null) {
      status =
          log.settings(op.tenantId).map(s -> s.path("invoiceStatus").asText(null)).orElse(null);
    }
    ObjectNode el =
        XeroInvoiceElement.of(body, op.externalId, contact.contactId(), status, true, null);
    Sent sent = send(c, "PUT", "Invoices", el, "invoice-create", contact.notes());
    if (sent.problem() != null) {
      return sent.problem();
    }
    XeroWrites.Outcome out =
        Objects.requireNonNull(sent.out(), "only a send that stopped has no answer");
    if (out.rejected()) {
      if (op.ambiguous && "INVOICE_NUMBER_TAKEN".equals(Corrections.of(out.messages()).code())) {
        // An earlier pass of this operation, still running when this one looked, created it.
        Optional<JsonNode> ours = InvoiceByNumber.find(c, op.externalId);
        if (ours.isPresent()) {
          return Completion.succeeded(InvoiceLinks.ids(links.link(op, ours.get(), lines)));
        }
      }
      return Completion.rejected(out.messages());
    }
    return Completion.succeeded(InvoiceLinks.ids(links.link(op, out.saved(), lines)))
        .warning(sent.notes())
        .warning(WriteRules.differences(body, out.saved()));
  }

  private Completion update(XeroCall c, ObjectNode l)
      throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    JsonNode body = op.request;
    if (op.operationId.equals(l.path("operationId").asText())) {
      // An earlier pass of this operation applied it and was cut off before recording the end.
      return Completion.succeeded(InvoiceLinks.ids(l));
    }
    String invoiceId = l.path("invoiceId").asText();
    String current = l.path("status").asText();
    String fingerprint = XeroInvoiceElement.linesFingerprint(body);
    boolean linesChanged = body.has("lineItems") && !fingerprint.equals(l.path("lines").asText());
    if (linesChanged && !"DRAFT".equals(current)) {
      return Completion.failed(
              "STATUS_NOT_MODIFIABLE",
              "Line items can only change while the invoice is DRAFT; it is " + current + ".",
              "Keep the line items as they are, or void the invoice and push a new one.")
          .withIds(Map.of("invoiceId", invoiceId));
    }
    String wanted = WriteRequests.text(body, "status");
    String status = wanted != null && !wanted.equals(current) ? wanted : null;
    String contactId = null;
    List<String> notes = List.of();
    if (body.has("contact")) {
      String ext = body.get("contact").path("externalId").asText(null);
      String xid = body.get("contact").path("xeroContactId").asText(null);
      boolean same =
          (ext != null && ext.equals(l.path("contactExternalId").asText(null)))
              || (xid != null && xid.equals(l.path("contactId").asText(null)));
      // Also for the same contact: the push may carry new details for it, sent first.
      ContactLinks.Result contact = contacts.ensure(c, body.get("contact"), false);
      if (contact.problem() != null) {
        return contact.problem();
      }
      notes = contact.notes();
      contactId = same ? null : contact.contactId();
    }
    String lines = linesChanged ? fingerprint : l.path("lines").asText();
    ObjectNode el =
        XeroInvoiceElement.of(body, op.externalId, contactId, status, linesChanged, invoiceId);
    if (op.ambiguous && status != null) {
      // The earlier send may have applied this very change (status and lines move together).
      Optional<JsonNode> applied = InvoiceById.withStatus(c, invoiceId, status);
      if (applied.isPresent()) {
        return Completion.succeeded(InvoiceLinks.ids(links.link(op, applied.get(), lines)));
      }
    }
    Sent sent = send(c, "POST", "Invoices/" + invoiceId, el, "invoice-update", notes);
    if (sent.problem() != null) {
      return sent.problem();
    }
    XeroWrites.Outcome out =
        Objects.requireNonNull(sent.out(), "only a send that stopped has no answer");
    if (out.rejected()) {
      return Completion.rejected(out.messages()).withIds(Map.of("invoiceId", invoiceId));
    }
    return Completion.succeeded(InvoiceLinks.ids(links.link(op, out.saved(), lines)))
        .warning(sent.notes())
        .warning(WriteRules.differences(body, out.saved()));
  }

  /** Xero's answer, or why the write stops (a contact really archived), and what was done. */
  private record Sent(
      XeroWrites.@Nullable Outcome out, @Nullable Completion problem, List<String> notes) {}

  /**
   * Sends the invoice. When Xero refuses it because its contact is archived, the contact is read by
   * id: merged, the invoice goes again with the contact it was merged into (linked from now on);
   * really archived, the write stops with the restore advice.
   */
  private Sent send(
      XeroCall c, String method, String path, ObjectNode el, String step, List<String> notes)
      throws XeroApiException, TokenRefreshException {
    XeroWrites.Outcome out = c.write(method, path, "Invoices", el, step);
    String used = el.path("Contact").path("ContactID").asText(null);
    JsonNode ref = c.op().request.path("contact");
    if (!out.rejected()
        || used == null
        || !ref.has("externalId")
        || !"CONTACT_ARCHIVED".equals(Corrections.of(out.messages()).code())) {
      return new Sent(out, null, notes);
    }
    ContactLinks.Result again = contacts.afterArchived(c, ref, used);
    if (again.problem() != null) {
      return new Sent(null, again.problem(), notes);
    }
    String kept = again.contactId();
    if (kept == null || kept.equals(used)) {
      return new Sent(out, null, notes);
    }
    el.putObject("Contact").put("ContactID", kept);
    List<String> all = new ArrayList<>(notes);
    all.addAll(again.notes());
    return new Sent(c.write(method, path, "Invoices", el, step + "-relinked"), null, all);
  }
}
