package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * POST /invoices/{id}/void: voids the linked invoice, or deletes it while it is a DRAFT or
 * SUBMITTED (Xero's Invoices docs, "Deleting and voiding invoices": only an AUTHORISED invoice is
 * voided; a DRAFT or SUBMITTED one is deleted by setting its Status to DELETED; the simulator's
 * Invoices.checkTransition follows the same rule). After an ambiguous send, an invoice Xero already
 * shows in the status we asked for is adopted instead of sent again.
 */
final class InvoiceVoid implements OperationWrite {
  private final InvoiceLinks links;

  InvoiceVoid(InvoiceLinks links) {
    this.links = links;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    Optional<ObjectNode> link = links.find(op.tenantId, op.externalId);
    if (link.isEmpty()) {
      return Completion.failed(
          "NOT_IN_XERO",
          "Invoice " + op.externalId + " was never pushed to Xero, so there is nothing to void.",
          "Nothing to do in Xero; if it should exist, push it first.");
    }
    String invoiceId = link.get().path("invoiceId").asText();
    Map<String, String> ids = Map.of("invoiceId", invoiceId);
    if (op.operationId.equals(link.get().path("operationId").asText())) {
      return Completion.succeeded(ids);
    }
    String lines = link.get().path("lines").asText();
    boolean draft = DELETABLE.contains(link.get().path("status").asText());
    String target = draft ? "DELETED" : "VOIDED";
    if (op.ambiguous) {
      var done = InvoiceById.withStatus(c, invoiceId, target);
      if (done.isPresent()) {
        links.link(op, done.get(), lines);
        return outcome(ids, draft);
      }
    }
    ObjectNode el =
        Json.MAPPER.createObjectNode().put("InvoiceID", invoiceId).put("Status", target);
    XeroWrites.Outcome out = c.write("POST", "Invoices/" + invoiceId, "Invoices", el, "void");
    if (out.rejected()) {
      return Completion.rejected(out.messages()).withIds(ids);
    }
    links.link(op, out.saved(), lines);
    return outcome(ids, draft);
  }

  /** Statuses Xero deletes rather than voids. */
  static final Set<String> DELETABLE = Set.of("DRAFT", "SUBMITTED");

  private static Completion outcome(Map<String, String> ids, boolean deleted) {
    if (!deleted) {
      return Completion.succeeded(ids);
    }
    Map<String, String> named = new LinkedHashMap<>(ids);
    named.put("status", "DELETED");
    return new Completion(
        OperationState.SUCCEEDED,
        named,
        List.of(
            "The invoice was a draft, so it was deleted in Xero (Status DELETED): Xero voids only"
                + " approved invoices."),
        null,
        null,
        null);
  }
}
