package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.util.Map;
import java.util.Optional;

/**
 * DELETE /invoices/{id}: voids the linked invoice. After an ambiguous void, an invoice Xero already
 * shows as VOIDED is adopted instead of voided again.
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
    if (op.ambiguous) {
      var voided = InvoiceById.withStatus(c, invoiceId, "VOIDED");
      if (voided.isPresent()) {
        links.link(op, voided.get(), lines);
        return Completion.succeeded(ids);
      }
    }
    ObjectNode el =
        Json.MAPPER.createObjectNode().put("InvoiceID", invoiceId).put("Status", "VOIDED");
    XeroWrites.Outcome out = c.write("POST", "Invoices/" + invoiceId, "Invoices", el, "void");
    if (out.rejected()) {
      return Completion.rejected(out.messages()).withIds(ids);
    }
    links.link(op, out.element(), lines);
    return Completion.succeeded(ids);
  }
}
