package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Money;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Our API's representation of an invoice: the list shape, and the detail shape with instalments and
 * credits.
 */
public final class InvoiceJson {
  private InvoiceJson() {}

  /**
   * What the user sees as the invoice's status: Xero's, with AUTHORISED split into OPEN and
   * OVERDUE.
   */
  public static String displayStatus(XeroInvoice inv, LocalDate today) {
    if (InvoiceBucket.of(inv) == InvoiceBucket.UNPAID) {
      return InvoiceView.isOverdue(inv, today) ? "OVERDUE" : "OPEN";
    }
    return inv.status() == null ? "UNKNOWN" : inv.status();
  }

  public static ObjectNode summary(
      XeroInvoice inv, Organisations.Organisation org, LocalDate today) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("invoiceId", inv.invoiceId());
    n.put("invoiceNumber", inv.invoiceNumber());
    n.put("xeroUrl", org.invoiceUrl(inv.invoiceId(), inv.type()));
    n.put("reference", inv.reference());
    n.put("type", inv.type());
    n.put("status", inv.status());
    n.put("displayStatus", displayStatus(inv, today));
    boolean overdue = InvoiceView.isOverdue(inv, today);
    n.put("overdue", overdue);
    n.put("daysOverdue", overdue ? ChronoUnit.DAYS.between(inv.dueDate(), today) : 0);
    BigDecimal settled = inv.amountPaid().add(inv.amountCredited());
    n.put("partiallyPaid", InvoiceBucket.of(inv) == InvoiceBucket.UNPAID && settled.signum() > 0);
    ObjectNode contact = n.putObject("contact").put("contactId", inv.contactId());
    contact.put("name", inv.contactName());
    n.put("date", Objects.toString(inv.date(), null));
    n.put("dueDate", Objects.toString(inv.dueDate(), null));
    n.put("currency", inv.currencyCode());
    n.set("total", Money.json(inv.total(), inv.currencyCode()));
    n.set("amountDue", Money.json(inv.amountDue(), inv.currencyCode()));
    n.set("amountPaid", Money.json(inv.amountPaid(), inv.currencyCode()));
    n.set("amountCredited", Money.json(inv.amountCredited(), inv.currencyCode()));
    n.put("fullyPaidOn", Objects.toString(inv.fullyPaidOnDate(), null));
    n.put("instalmentCount", inv.payments().size());
    n.put(
        "updatedUtc",
        Objects.requireNonNull(inv.updatedDateUtc(), "a stored invoice has UpdatedDateUTC")
            .toString());
    return n;
  }

  public static ObjectNode detail(
      XeroInvoice inv, Organisations.Organisation org, LocalDate today) {
    ObjectNode n = summary(inv, org, today);
    ArrayNode instalments = n.putArray("instalments");
    int number = 1;
    for (XeroPayment p : inv.payments()) {
      instalments
          .addObject()
          .put("number", number++)
          .put("paymentId", p.paymentId())
          .put("date", Objects.toString(p.date(), null))
          .<ObjectNode>set("amount", Money.json(p.amount(), inv.currencyCode()))
          .put("reference", p.reference());
    }
    ArrayNode credits = n.putArray("credits");
    for (XeroAllocation a : inv.allocations()) {
      credits
          .addObject()
          .put("kind", a.kind().name())
          .put("id", a.id())
          .put("number", a.number())
          .<ObjectNode>set("amount", Money.json(a.amount(), inv.currencyCode()))
          .put("date", Objects.toString(a.date(), null));
    }
    return n;
  }
}
