package dev.xerosync.store;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Hand-written mapping between invoices and DynamoDB items: no reflection on the hot path. */
final class ItemCodec {
  private ItemCodec() {}

  static Map<String, AttributeValue> invoiceItem(
      String tenantId, XeroInvoice inv, Instant syncedAt) {
    return invoiceItem(tenantId, inv, syncedAt, null);
  }

  /**
   * With the organisation's timezone, an unpaid invoice with a due date also carries its key in
   * {@link Keys#BY_OVERDUE_AT}: when it becomes overdue there.
   */
  static Map<String, AttributeValue> invoiceItem(
      String tenantId, XeroInvoice inv, Instant syncedAt, java.time.@Nullable ZoneId zone) {
    String invoiceId = required(inv.invoiceId(), "InvoiceID");
    Instant updated = required(inv.updatedDateUtc(), "UpdatedDateUTC");
    Map<String, AttributeValue> item =
        Keys.item(Keys.invoicePk(tenantId, invoiceId), Keys.INVOICE_SK);
    String contactId = inv.contactId() == null ? "NONE" : inv.contactId();
    String invoiceDate = inv.date() == null ? "0000-00-00" : inv.date().toString();
    String dueDate = inv.dueDate() == null ? "9999-12-31" : inv.dueDate().toString();
    item.put("gsi1pk", s(Keys.contactPk(tenantId, contactId)));
    item.put("gsi1sk", s(invoiceDate + "#" + invoiceId));
    item.put("gsi2pk", s(Keys.contactViewPk(tenantId, contactId, InvoiceBucket.of(inv))));
    item.put("gsi2sk", s(dueDate + "#" + invoiceId));
    if (inv.invoiceNumber() != null && !inv.invoiceNumber().isBlank()) {
      item.put("gsi3pk", s(Keys.contactNumberPk(tenantId, contactId)));
      item.put(
          "gsi3sk", s(inv.invoiceNumber().toUpperCase(java.util.Locale.ROOT) + "#" + invoiceId));
    }
    item.put("tenantId", s(tenantId));
    item.put("invoiceId", s(invoiceId));
    put(item, "invoiceNumber", inv.invoiceNumber());
    put(item, "reference", inv.reference());
    put(item, "type", inv.type());
    put(item, "status", inv.status());
    put(item, "contactId", inv.contactId());
    put(item, "contactName", inv.contactName());
    put(item, "date", inv.date());
    put(item, "dueDate", inv.dueDate());
    put(item, "currency", inv.currencyCode());
    item.put("subTotal", n(inv.subTotal()));
    item.put("totalTax", n(inv.totalTax()));
    item.put("total", n(inv.total()));
    item.put("amountDue", n(inv.amountDue()));
    item.put("amountPaid", n(inv.amountPaid()));
    item.put("amountCredited", n(inv.amountCredited()));
    put(item, "fullyPaidOn", inv.fullyPaidOnDate());
    item.put("updatedUtc", s(updated.toString()));
    item.put("updatedMs", AttributeValue.fromN(Long.toString(updated.toEpochMilli())));
    item.put("syncedAt", s(syncedAt.toString()));
    List<AttributeValue> payments = new ArrayList<>();
    for (XeroPayment p : inv.payments()) {
      Map<String, AttributeValue> m = new HashMap<>();
      m.put("paymentId", s(required(p.paymentId(), "PaymentID")));
      put(m, "date", p.date());
      m.put("amount", n(p.amount()));
      put(m, "reference", p.reference());
      payments.add(AttributeValue.fromM(m));
    }
    item.put("payments", AttributeValue.fromL(payments));
    List<AttributeValue> allocations = new ArrayList<>();
    for (XeroAllocation a : inv.allocations()) {
      Map<String, AttributeValue> m = new HashMap<>();
      m.put("kind", s(a.kind().name()));
      put(m, "id", a.id());
      put(m, "number", a.number());
      m.put("amount", n(a.amount()));
      put(m, "date", a.date());
      allocations.add(AttributeValue.fromM(m));
    }
    item.put("allocations", AttributeValue.fromL(allocations));
    if (zone != null && inv.dueDate() != null && InvoiceBucket.of(inv) == InvoiceBucket.UNPAID) {
      Instant overdueAt = DueDateIndex.overdueAt(inv.dueDate(), zone);
      item.put(DueDateIndex.PK, s(DueDateIndex.partition(overdueAt, invoiceId)));
      item.put(DueDateIndex.SK, s(DueDateIndex.sortKey(overdueAt, tenantId, invoiceId)));
    }
    return TenantItems.stamp(tenantId, item);
  }

  static XeroInvoice invoice(Map<String, AttributeValue> item) {
    List<XeroPayment> payments = new ArrayList<>();
    for (AttributeValue v : item.getOrDefault("payments", AttributeValue.fromL(List.of())).l()) {
      Map<String, AttributeValue> m = v.m();
      payments.add(
          new XeroPayment(
              str(m, "paymentId"), date(m, "date"), dec(m, "amount"), str(m, "reference")));
    }
    List<XeroAllocation> allocations = new ArrayList<>();
    for (AttributeValue v : item.getOrDefault("allocations", AttributeValue.fromL(List.of())).l()) {
      Map<String, AttributeValue> m = v.m();
      allocations.add(
          new XeroAllocation(
              XeroAllocation.Kind.valueOf(requiredStr(m, "kind")),
              str(m, "id"),
              str(m, "number"),
              dec(m, "amount"),
              date(m, "date")));
    }
    return new XeroInvoice(
        str(item, "invoiceId"),
        str(item, "invoiceNumber"),
        str(item, "reference"),
        str(item, "type"),
        str(item, "status"),
        str(item, "contactId"),
        str(item, "contactName"),
        date(item, "date"),
        date(item, "dueDate"),
        str(item, "currency"),
        dec(item, "subTotal"),
        dec(item, "totalTax"),
        dec(item, "total"),
        dec(item, "amountDue"),
        dec(item, "amountPaid"),
        dec(item, "amountCredited"),
        date(item, "fullyPaidOn"),
        Instant.parse(requiredStr(item, "updatedUtc")),
        List.copyOf(payments),
        List.copyOf(allocations));
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(BigDecimal v) {
    return AttributeValue.fromN((v == null ? BigDecimal.ZERO : v).toPlainString());
  }

  /**
   * Absent stays absent and an empty string stays empty: Xero sends {@code "Reference": ""} for a
   * reference cleared in Xero, which is not one it never had. Only key attributes must not be empty
   * (DynamoDB refuses that), and none of these is one.
   */
  static void put(Map<String, AttributeValue> item, String name, @Nullable Object value) {
    if (value != null) {
      item.put(name, s(value.toString()));
    }
  }

  /**
   * An attribute the store always writes: its absence means a damaged item, so fail naming it
   * rather than with a bare NullPointerException further on.
   */
  static AttributeValue attr(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null) {
      throw new IllegalStateException("stored item has no '" + name + "' attribute");
    }
    return v;
  }

  /** The string of an attribute the store always writes ({@link #attr}). */
  static String requiredStr(Map<String, AttributeValue> item, String name) {
    String v = attr(item, name).s();
    if (v == null) {
      throw new IllegalStateException("stored item's '" + name + "' attribute is not a string");
    }
    return v;
  }

  /**
   * What Xero always sends and the store keys or orders items by (an id, UpdatedDateUTC): a record
   * without it cannot be stored, so refuse it by name.
   */
  static <T> T required(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("cannot store a record without its " + what);
    }
    return value;
  }

  static @Nullable String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static BigDecimal dec(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? BigDecimal.ZERO : new BigDecimal(v.n());
  }

  private static @Nullable LocalDate date(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : LocalDate.parse(v);
  }
}
