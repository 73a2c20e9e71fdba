package dev.xerosync.query;

import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Keys;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes what the sync side writes (organisation, contacts, invoices through InvoiceStore.upsert),
 * for query tests.
 */
final class QuerySeed {
  private final QueryTable table;
  private final InvoiceStore invoices;
  private long version = 1;

  QuerySeed(QueryTable table) {
    this.table = table;
    this.invoices = new InvoiceStore(table.dynamo, table.name, Clock.systemUTC());
  }

  void organisation(String tenantId, String shortCode, String timezone) {
    table.dynamo.putItem(
        r ->
            r.tableName(table.name)
                .item(
                    Map.of(
                        "pk",
                        AttributeValue.fromS(Keys.organisationPk(tenantId)),
                        "sk",
                        AttributeValue.fromS(Keys.ORGANISATION_SK),
                        "name",
                        AttributeValue.fromS("Org " + shortCode),
                        "shortCode",
                        AttributeValue.fromS(shortCode),
                        "timezone",
                        AttributeValue.fromS(timezone),
                        "baseCurrency",
                        AttributeValue.fromS("NZD"))));
  }

  void contact(String tenantId, String contactId, String name, boolean customer) {
    table.dynamo.putItem(
        r ->
            r.tableName(table.name)
                .item(
                    Map.of(
                        "pk",
                        AttributeValue.fromS(Keys.contactPk(tenantId, contactId)),
                        "sk",
                        AttributeValue.fromS(Keys.CONTACT_SK),
                        "contactId",
                        AttributeValue.fromS(contactId),
                        "name",
                        AttributeValue.fromS(name),
                        "isCustomer",
                        AttributeValue.fromBool(customer),
                        "isSupplier",
                        AttributeValue.fromBool(!customer),
                        "status",
                        AttributeValue.fromS("ACTIVE"),
                        "updatedMs",
                        AttributeValue.fromN("1"))));
  }

  /**
   * Upserts as the sync does: the invoice, its contact's totals and the tenant's aging, in one
   * transaction.
   */
  XeroInvoice upsert(String tenantId, XeroInvoice inv) {
    XeroInvoice stamped =
        withUpdated(inv, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version++));
    invoices.upsert(tenantId, stamped);
    return stamped;
  }

  static XeroInvoice invoice(
      String id,
      String number,
      String type,
      String status,
      String contactId,
      LocalDate date,
      LocalDate due,
      String currency,
      String total,
      String paid,
      String credited) {
    BigDecimal t = new BigDecimal(total);
    BigDecimal p = new BigDecimal(paid);
    BigDecimal c = new BigDecimal(credited);
    BigDecimal dueAmount =
        switch (status) {
          case "PAID", "VOIDED", "DELETED" -> BigDecimal.ZERO;
          default -> t.subtract(p).subtract(c);
        };
    List<XeroPayment> payments =
        p.signum() == 0
            ? List.of()
            : List.of(
                new XeroPayment(
                    "p1-" + id.substring(0, 8), date, p.divide(BigDecimal.TWO), "first"),
                new XeroPayment(
                    "p2-" + id.substring(0, 8),
                    date == null ? null : date.plusDays(3),
                    p.subtract(p.divide(BigDecimal.TWO)),
                    "second"));
    List<XeroAllocation> credits =
        c.signum() == 0
            ? List.of()
            : List.of(
                new XeroAllocation(
                    XeroAllocation.Kind.CREDIT_NOTE,
                    "cn-" + id.substring(0, 8),
                    "CN-" + number,
                    c,
                    date));
    return new XeroInvoice(
        id,
        number,
        "ref " + number,
        type,
        status,
        contactId,
        "Contact " + contactId.substring(0, 4),
        date,
        due,
        currency,
        t,
        BigDecimal.ZERO,
        t,
        dueAmount,
        p,
        c,
        "PAID".equals(status) ? due : null,
        Instant.parse("2026-01-01T00:00:00Z"),
        payments,
        credits);
  }

  static XeroInvoice withUpdated(XeroInvoice i, Instant updated) {
    return new XeroInvoice(
        i.invoiceId(),
        i.invoiceNumber(),
        i.reference(),
        i.type(),
        i.status(),
        i.contactId(),
        i.contactName(),
        i.date(),
        i.dueDate(),
        i.currencyCode(),
        i.subTotal(),
        i.totalTax(),
        i.total(),
        i.amountDue(),
        i.amountPaid(),
        i.amountCredited(),
        i.fullyPaidOnDate(),
        updated,
        i.payments(),
        i.allocations());
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
