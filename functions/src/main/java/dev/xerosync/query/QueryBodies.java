package dev.xerosync.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Money;
import dev.xerosync.store.AgingSummary;
import dev.xerosync.store.ContactTotals;
import dev.xerosync.store.CreditNoteJson;
import dev.xerosync.store.InvoiceJson;
import dev.xerosync.store.Organisations;
import dev.xerosync.store.Organisations.Organisation;
import dev.xerosync.store.RecordLinks;
import dev.xerosync.store.ViewQuery;
import dev.xerosync.store.ViewRow;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Our API's response bodies around the invoices ({@link InvoiceJson}): listing pages, totals, aging
 * and a record's links.
 */
final class QueryBodies {
  private static final Map<AgingSummary.Band, String> BAND_NAMES =
      Map.of(
          AgingSummary.Band.CURRENT, "current",
          AgingSummary.Band.DAYS_1_TO_30, "days1To30",
          AgingSummary.Band.DAYS_31_TO_60, "days31To60",
          AgingSummary.Band.DAYS_61_TO_90, "days61To90",
          AgingSummary.Band.OVER_90, "over90");

  private QueryBodies() {}

  /** A listing page's head: the view and the day and timezone it was judged in. */
  static ObjectNode page(ViewQuery q, Organisation org) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("view", q.view().name().toLowerCase(Locale.ROOT));
    body.put("asOf", q.today().toString());
    body.put("timezone", org.timezone().getId());
    return body;
  }

  /** A listing page's invoices and the cursor of the next page (null on the last). */
  static ObjectNode invoices(
      ObjectNode body,
      List<XeroInvoice> invoices,
      Organisation org,
      LocalDate today,
      @Nullable String nextCursor) {
    return rows(
        body,
        invoices.stream().<ViewRow>map(ViewRow.Invoice::new).toList(),
        org,
        today,
        nextCursor);
  }

  /**
   * A listing page's rows, in their order, and the cursor of the next page (null on the last). Each
   * row says its kind; credit notes come only when asked for, so a client that never asks sees
   * invoices only.
   */
  static ObjectNode rows(
      ObjectNode body,
      List<ViewRow> rows,
      Organisation org,
      LocalDate today,
      @Nullable String nextCursor) {
    ArrayNode items = body.putArray("invoices");
    for (ViewRow row : rows) {
      switch (row) {
        case ViewRow.Invoice(XeroInvoice inv) ->
            items.add(InvoiceJson.summary(inv, org, today).put("kind", "INVOICE"));
        case ViewRow.CreditNote(XeroCredit c) -> items.add(CreditNoteJson.summary(c, org));
      }
    }
    body.put("nextCursor", nextCursor);
    return body;
  }

  static ObjectNode record(ObjectNode body, RecordLinks.Record record) {
    body.putObject("record").put("type", record.type()).put("id", record.id());
    return body;
  }

  static ObjectNode link(ObjectNode n, RecordLinks.Link link, Organisations.Organisation org) {
    n.put("contactId", link.contactId());
    n.put("name", link.contactName());
    n.put("linkedAt", link.linkedAt().toString());
    n.put("xeroUrl", org.contactUrl(link.contactId()));
    return n;
  }

  static ObjectNode pin(RecordLinks.Pin pin) {
    return Json.MAPPER
        .createObjectNode()
        .put("invoiceId", pin.invoiceId())
        .put("pinnedAt", pin.pinnedAt().toString());
  }

  /**
   * Each total links to the view that lists the invoices behind it, so a consumer can make it
   * clickable.
   */
  static void totals(
      ObjectNode body, List<ContactTotals> totals, @Nullable String type, String invoicesPath) {
    ArrayNode out = body.putArray("totals");
    totals.stream()
        .filter(t -> type == null || type.equals(t.type()))
        .filter(t -> !t.isEmpty())
        .sorted(Comparator.comparing(ContactTotals::type).thenComparing(ContactTotals::currency))
        .forEach(
            t -> {
              ObjectNode n = out.addObject().put("type", t.type()).put("currency", t.currency());
              String filter = "&type=" + t.type() + "&currency=" + t.currency();
              String credits = "&creditNotes=only" + filter;
              clickable(n.putObject("paid"), t.paidCount(), t.paidAmount(), t.currency())
                  .put("invoices", invoicesPath + "?view=paid" + filter);
              clickable(n.putObject("unpaid"), t.unpaidCount(), t.unpaidAmount(), t.currency())
                  .put("invoices", invoicesPath + "?view=unpaid" + filter);
              ObjectNode cn = n.putObject("creditNotes");
              clickable(cn.putObject("available"), t.creditCount(), t.creditAmount(), t.currency())
                  .put("invoices", invoicesPath + "?view=unpaid" + credits);
              clickable(
                      cn.putObject("used"), t.creditUsedCount(), t.creditUsedAmount(), t.currency())
                  .put("invoices", invoicesPath + "?view=paid" + credits);
              n.set("outstanding", Money.json(t.outstanding(), t.currency()));
            });
  }

  private static ObjectNode clickable(
      ObjectNode n, long count, BigDecimal amount, String currency) {
    return n.put("count", count).set("amount", Money.json(amount, currency));
  }

  static ObjectNode aging(AgingSummary summary, Organisation org, @Nullable String type) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("asOf", summary.today().toString());
    body.put("timezone", org.timezone().getId());
    body.put("type", type == null ? "ANY" : type);
    ArrayNode currencies = body.putArray("currencies");
    summary
        .byCurrency()
        .forEach(
            (currency, bands) -> {
              ObjectNode c = currencies.addObject().put("currency", currency);
              long count = 0;
              long overdueCount = 0;
              BigDecimal amount = BigDecimal.ZERO;
              BigDecimal overdueAmount = BigDecimal.ZERO;
              for (AgingSummary.Band band : AgingSummary.Band.values()) {
                AgingSummary.Cell cell =
                    Objects.requireNonNull(bands.get(band), "every band has a cell");
                c.putObject(BAND_NAMES.get(band))
                    .put("count", cell.count())
                    .<ObjectNode>set("amount", Money.json(cell.amount(), currency));
                count += cell.count();
                amount = amount.add(cell.amount());
                if (band != AgingSummary.Band.CURRENT) {
                  overdueCount += cell.count();
                  overdueAmount = overdueAmount.add(cell.amount());
                }
              }
              c.putObject("overdue")
                  .put("count", overdueCount)
                  .<ObjectNode>set("amount", Money.json(overdueAmount, currency));
              c.putObject("total")
                  .put("count", count)
                  .<ObjectNode>set("amount", Money.json(amount, currency));
            });
    return body;
  }
}
