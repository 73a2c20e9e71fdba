package dev.xerosync.store;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Invoices in the states the views are defined on, for tests. */
public final class Invoices {
  private Invoices() {}

  public static XeroInvoice authorised(
      String id, String contactId, LocalDate date, LocalDate due, String total, String paid) {
    BigDecimal t = new BigDecimal(total);
    BigDecimal p = new BigDecimal(paid);
    List<XeroPayment> payments =
        p.signum() == 0
            ? List.of()
            : List.of(new XeroPayment("pay-" + id, date, p, "part payment"));
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 4),
        "ref " + id.substring(0, 4),
        "ACCREC",
        "AUTHORISED",
        contactId,
        "Contact",
        date,
        due,
        "NZD",
        t,
        BigDecimal.ZERO,
        t,
        t.subtract(p),
        p,
        BigDecimal.ZERO,
        null,
        Instant.parse("2026-01-01T00:00:00Z"),
        payments,
        List.of());
  }

  public static XeroInvoice paid(
      String id, String contactId, LocalDate date, LocalDate due, String total) {
    BigDecimal t = new BigDecimal(total);
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 4),
        null,
        "ACCREC",
        "PAID",
        contactId,
        "Contact",
        date,
        due,
        "NZD",
        t,
        BigDecimal.ZERO,
        t,
        BigDecimal.ZERO,
        t,
        BigDecimal.ZERO,
        due,
        Instant.parse("2026-01-01T00:00:00Z"),
        List.of(new XeroPayment("pay-" + id, due, t, "paid")),
        List.of());
  }

  /** Paid off by a credit note rather than a payment: PAID, nothing due, AmountCredited = Total. */
  public static XeroInvoice creditedOff(
      String id, String contactId, LocalDate date, LocalDate due, String total) {
    BigDecimal t = new BigDecimal(total);
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 4),
        null,
        "ACCREC",
        "PAID",
        contactId,
        "Contact",
        date,
        due,
        "NZD",
        t,
        BigDecimal.ZERO,
        t,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        t,
        date,
        Instant.parse("2026-01-01T00:00:00Z"),
        List.of(),
        List.of(
            new XeroAllocation(
                XeroAllocation.Kind.CREDIT_NOTE, "cn-" + id, "CN-" + id.substring(0, 4), t, date)));
  }

  public static XeroInvoice withStatus(XeroInvoice inv, String status) {
    return new XeroInvoice(
        inv.invoiceId(),
        inv.invoiceNumber(),
        inv.reference(),
        inv.type(),
        status,
        inv.contactId(),
        inv.contactName(),
        inv.date(),
        inv.dueDate(),
        inv.currencyCode(),
        inv.subTotal(),
        inv.totalTax(),
        inv.total(),
        inv.amountDue(),
        inv.amountPaid(),
        inv.amountCredited(),
        inv.fullyPaidOnDate(),
        inv.updatedDateUtc(),
        inv.payments(),
        inv.allocations());
  }

  /** One read of an ACCREC invoice: its status, amounts and update time, as Xero reports them. */
  public static XeroInvoice version(
      String id,
      String contact,
      String status,
      String total,
      String due,
      Instant updated,
      List<XeroPayment> payments) {
    BigDecimal t = new BigDecimal(total);
    BigDecimal paid =
        payments.stream().map(XeroPayment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 4),
        "ref",
        "ACCREC",
        status,
        contact,
        "Acme",
        LocalDate.of(2026, 10, 1),
        LocalDate.of(2026, 10, 31),
        "NZD",
        t,
        BigDecimal.ZERO,
        t,
        new BigDecimal(due),
        paid,
        BigDecimal.ZERO,
        null,
        updated,
        payments,
        List.of());
  }
}
