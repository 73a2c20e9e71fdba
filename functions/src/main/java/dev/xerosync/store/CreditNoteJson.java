package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Money;
import dev.xerosync.xero.XeroCredit;
import java.util.Objects;

/**
 * Our API's representation of a credit note in a contact's list, beside its invoices: the row says
 * {@code "kind": "CREDIT_NOTE"}, what is left of the credit, and where it was allocated.
 */
public final class CreditNoteJson {
  private CreditNoteJson() {}

  /**
   * What the user sees as the credit note's status: Xero's, with AUTHORISED and credit left shown
   * as OPEN (used up, Xero says PAID).
   */
  public static String displayStatus(XeroCredit c) {
    if (InvoiceBucket.of(c) == InvoiceBucket.UNPAID) {
      return "OPEN";
    }
    return c.status() == null ? "UNKNOWN" : c.status();
  }

  public static ObjectNode summary(XeroCredit c, Organisations.Organisation org) {
    String currency = c.currencyCode();
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "CREDIT_NOTE");
    n.put("creditNoteId", c.creditId());
    n.put("creditNoteNumber", c.number());
    n.put("xeroUrl", org.creditNoteUrl(c.creditId()));
    n.put("reference", c.reference());
    n.put("type", c.type());
    n.put("status", c.status());
    n.put("displayStatus", displayStatus(c));
    n.putObject("contact").put("contactId", c.contactId()).put("name", c.contactName());
    n.put("date", Objects.toString(c.date(), null));
    n.put("currency", currency);
    n.set("total", Money.json(c.total(), currency));
    n.set("remainingCredit", Money.json(c.remainingCredit(), currency));
    ArrayNode allocations = n.putArray("allocations");
    for (XeroCredit.Allocation a : c.allocations()) {
      allocations
          .addObject()
          .put("allocationId", a.allocationId())
          .put("invoiceId", a.invoiceId())
          .put("invoiceNumber", a.invoiceNumber())
          .<ObjectNode>set("amount", Money.json(a.amount(), currency))
          .put("date", Objects.toString(a.date(), null));
    }
    n.put("updatedUtc", Objects.toString(c.updatedDateUtc(), null));
    return n;
  }
}
