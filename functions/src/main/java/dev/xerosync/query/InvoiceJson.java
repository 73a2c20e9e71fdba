package dev.xerosync.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.util.Objects;

/** Our API's representation of an invoice: the list shape, and the detail shape with instalments. */
final class InvoiceJson {
    private InvoiceJson() {}

    static ObjectNode summary(XeroInvoice inv) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("invoiceId", inv.invoiceId());
        n.put("invoiceNumber", inv.invoiceNumber());
        n.put("reference", inv.reference());
        n.put("type", inv.type());
        n.put("status", inv.status());
        n.putObject("contact").put("contactId", inv.contactId()).put("name", inv.contactName());
        n.put("date", Objects.toString(inv.date(), null));
        n.put("dueDate", Objects.toString(inv.dueDate(), null));
        n.put("currency", inv.currencyCode());
        n.put("total", inv.total());
        n.put("amountDue", inv.amountDue());
        n.put("amountPaid", inv.amountPaid());
        n.put("amountCredited", inv.amountCredited());
        n.put("fullyPaidOn", Objects.toString(inv.fullyPaidOnDate(), null));
        n.put("instalmentCount", inv.payments().size());
        n.put("updatedUtc", inv.updatedDateUtc().toString());
        return n;
    }

    static ObjectNode detail(XeroInvoice inv) {
        ObjectNode n = summary(inv);
        ArrayNode instalments = n.putArray("instalments");
        int number = 1;
        for (XeroPayment p : inv.payments()) {
            instalments.addObject()
                    .put("number", number++)
                    .put("paymentId", p.paymentId())
                    .put("date", Objects.toString(p.date(), null))
                    .put("amount", p.amount())
                    .put("reference", p.reference());
        }
        ArrayNode credits = n.putArray("credits");
        for (XeroAllocation a : inv.allocations()) {
            credits.addObject()
                    .put("kind", a.kind().name())
                    .put("id", a.id())
                    .put("number", a.number())
                    .put("amount", a.amount())
                    .put("date", Objects.toString(a.date(), null));
        }
        return n;
    }
}
