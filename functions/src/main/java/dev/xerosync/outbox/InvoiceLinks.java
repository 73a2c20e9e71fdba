package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Our invoice ids linked to the invoices Xero holds. A link is what keeps an invoice from being
 * created twice: once it exists, every later write updates the linked invoice.
 */
final class InvoiceLinks {
  private final OperationLog log;
  private final ReadYourWrites reads;

  InvoiceLinks(OperationLog log, ReadYourWrites reads) {
    this.log = log;
    this.reads = reads;
  }

  Optional<ObjectNode> find(String tenantId, String externalId) {
    return log.link(tenantId, OperationLog.INVOICE, externalId);
  }

  /** Links the operation's own invoice to {@code xeroInvoice}. */
  ObjectNode link(Operation op, JsonNode xeroInvoice, String lines) {
    return link(op, op.externalId, op.request, xeroInvoice, lines);
  }

  /**
   * Links our invoice id {@code ext}, sent as {@code body}, to the invoice Xero holds, and copies
   * Xero's invoice to the read side.
   */
  ObjectNode link(Operation op, String ext, JsonNode body, JsonNode xeroInvoice, String lines) {
    String contactExt = body.path("contact").path("externalId").asText(null);
    Optional<ObjectNode> old = find(op.tenantId, ext);
    ObjectNode link = Json.MAPPER.createObjectNode();
    link.put("invoiceId", xeroInvoice.path("InvoiceID").asText());
    link.put("status", xeroInvoice.path("Status").asText());
    link.put("operationId", op.operationId);
    link.put("lines", lines);
    link.put("contactId", xeroInvoice.path("Contact").path("ContactID").asText());
    if (xeroInvoice.hasNonNull("CurrencyCode")) {
      link.put("currency", xeroInvoice.get("CurrencyCode").asText());
    }
    if (contactExt == null && old.isPresent()) {
      contactExt = old.get().path("contactExternalId").asText(null);
    }
    if (contactExt != null) {
      link.put("contactExternalId", contactExt);
    }
    log.putLink(op.tenantId, OperationLog.INVOICE, ext, link);
    reads.invoice(op.tenantId, xeroInvoice);
    return link;
  }

  /** The ids an operation reports for a linked invoice. */
  static Map<String, String> ids(ObjectNode link) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("invoiceId", link.path("invoiceId").asText());
    ids.put("status", link.path("status").asText());
    if (!link.path("contactId").asText().isEmpty()) {
      ids.put("contactId", link.path("contactId").asText());
    }
    return ids;
  }
}
