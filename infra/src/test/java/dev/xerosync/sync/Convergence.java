package dev.xerosync.sync;

import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.Allocation;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Payment;
import dev.xerosync.store.ContactTotals;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares what DynamoDB holds with the simulator's truth, field by field, and lists every
 * difference.
 */
public final class Convergence {
  private Convergence() {}

  public static List<String> differences(SimOrganisation org, InvoiceStore store) {
    List<String> diffs = new ArrayList<>();
    String tenant = org.tenantId();
    Map<String, BigDecimal[]> expectedTotals = new HashMap<>();
    for (InvoiceView truth : org.invoices()) {
      String id = truth.invoice().invoiceId();
      XeroInvoice stored = store.get(tenant, id).orElse(null);
      if (stored == null) {
        diffs.add("invoice " + id + " is missing");
        continue;
      }
      check(diffs, id, "status", truth.status(), stored.status());
      check(diffs, id, "contact", truth.invoice().contactId(), stored.contactId());
      check(diffs, id, "number", truth.invoice().invoiceNumber(), stored.invoiceNumber());
      check(diffs, id, "date", truth.invoice().date(), stored.date());
      check(diffs, id, "dueDate", truth.invoice().dueDate(), stored.dueDate());
      money(diffs, id, "total", truth.total(), stored.total());
      money(diffs, id, "amountDue", truth.amountDue(), stored.amountDue());
      money(diffs, id, "amountPaid", truth.amountPaid(), stored.amountPaid());
      money(diffs, id, "amountCredited", truth.amountCredited(), stored.amountCredited());
      check(diffs, id, "fullyPaidOn", truth.invoice().fullyPaidOnDate(), stored.fullyPaidOnDate());
      check(
          diffs,
          id,
          "updated",
          truth.invoice().updatedDateUtc().truncatedTo(ChronoUnit.MILLIS),
          stored.updatedDateUtc());
      Map<String, BigDecimal> truthPayments = new TreeMap<>();
      for (Payment p : truth.payments()) {
        if (!Payment.DELETED.equals(p.status())) {
          truthPayments.put(p.paymentId(), p.amount().stripTrailingZeros());
        }
      }
      Map<String, BigDecimal> storedPayments = new TreeMap<>();
      for (XeroPayment p : stored.payments()) {
        storedPayments.put(p.paymentId(), p.amount().stripTrailingZeros());
      }
      check(diffs, id, "payments", truthPayments, storedPayments);
      BigDecimal credited =
          stored.allocations().stream()
              .map(a -> a.amount())
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      money(diffs, id, "allocations", truth.amountCredited(), credited);

      if ("ACCREC".equals(truth.invoice().type())) {
        BigDecimal[] t =
            expectedTotals.computeIfAbsent(
                truth.invoice().contactId() + "|" + truth.invoice().currencyCode(),
                k ->
                    new BigDecimal[] {
                      BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
                    });
        if ("PAID".equals(truth.status())) {
          t[0] = t[0].add(BigDecimal.ONE);
          t[1] = t[1].add(truth.total());
        } else if ("AUTHORISED".equals(truth.status()) && truth.amountDue().signum() > 0) {
          t[2] = t[2].add(BigDecimal.ONE);
          t[3] = t[3].add(truth.amountDue());
        }
      }
    }
    expectedTotals.forEach(
        (key, t) -> {
          String[] parts = key.split("\\|");
          ContactTotals stored =
              store.totals(tenant, parts[0]).stream()
                  .filter(x -> x.type().equals("ACCREC") && x.currency().equals(parts[1]))
                  .findFirst()
                  .orElse(
                      new ContactTotals(
                          "ACCREC", parts[1], 0, BigDecimal.ZERO, 0, BigDecimal.ZERO));
          check(diffs, "contact " + parts[0], "paidCount", t[0].longValue(), stored.paidCount());
          money(diffs, "contact " + parts[0], "paidAmount", t[1], stored.paidAmount());
          check(
              diffs, "contact " + parts[0], "unpaidCount", t[2].longValue(), stored.unpaidCount());
          money(diffs, "contact " + parts[0], "unpaidAmount", t[3], stored.unpaidAmount());
        });
    return diffs;
  }

  /**
   * Credits field by field: every invoice lists exactly the credits applied to it (kind, id,
   * number, date, amount), and every credit note, overpayment and prepayment is stored with Xero's
   * status, remaining credit and allocations.
   */
  public static List<String> creditDifferences(
      SimOrganisation org, InvoiceStore store, CreditStore credits) {
    List<String> diffs = new ArrayList<>();
    String tenant = org.tenantId();
    for (InvoiceView truth : org.invoices()) {
      String id = truth.invoice().invoiceId();
      XeroInvoice stored = store.get(tenant, id).orElse(null);
      if (stored == null) {
        continue; // differences() reports it
      }
      List<String> expected = new ArrayList<>();
      for (InvoiceView.AppliedCredit ac : truth.credits()) {
        Credit c = ac.credit();
        expected.add(
            kind(c.kind())
                + " "
                + c.creditId()
                + " "
                + c.number()
                + " "
                + c.date()
                + " "
                + ac.appliedAmount().stripTrailingZeros().toPlainString());
      }
      List<String> actual = new ArrayList<>();
      for (XeroAllocation a : stored.allocations()) {
        actual.add(
            a.kind()
                + " "
                + a.id()
                + " "
                + a.number()
                + " "
                + a.date()
                + " "
                + a.amount().stripTrailingZeros().toPlainString());
      }
      expected.sort(null);
      actual.sort(null);
      check(diffs, id, "credits", expected, actual);
    }
    for (Credit truth : org.credits()) {
      String id = truth.creditId();
      XeroCredit stored = credits.get(tenant, id).orElse(null);
      if (stored == null) {
        diffs.add(kind(truth.kind()) + " " + id + " is missing");
        continue;
      }
      check(diffs, id, "kind", kind(truth.kind()), stored.kind());
      check(diffs, id, "number", truth.number(), stored.number());
      check(diffs, id, "reference", truth.reference(), stored.reference());
      check(diffs, id, "status", truth.status(), stored.status());
      check(diffs, id, "contact", truth.contactId(), stored.contactId());
      check(diffs, id, "date", truth.date(), stored.date());
      money(diffs, id, "total", truth.total(), stored.total());
      money(diffs, id, "remainingCredit", org.remainingCredit(id), stored.remainingCredit());
      check(
          diffs,
          id,
          "updated",
          truth.updatedDateUtc().truncatedTo(ChronoUnit.MILLIS),
          stored.updatedDateUtc());
      List<String> expected = new ArrayList<>();
      for (Allocation a : org.allocations(id)) {
        expected.add(
            a.allocationId()
                + " "
                + a.invoiceId()
                + " "
                + a.date()
                + " "
                + a.amount().stripTrailingZeros().toPlainString());
      }
      List<String> actual = new ArrayList<>();
      for (XeroCredit.Allocation a : stored.allocations()) {
        actual.add(
            a.allocationId()
                + " "
                + a.invoiceId()
                + " "
                + a.date()
                + " "
                + a.amount().stripTrailingZeros().toPlainString());
      }
      expected.sort(null);
      actual.sort(null);
      check(diffs, id, "allocations", expected, actual);
    }
    creditNoteTotals(org, store, diffs);
    return diffs;
  }

  /**
   * Each contact's totals count its credit notes as Xero holds them: those with credit left and
   * that credit, those used up (PAID) and their totals, under the invoice type they offset.
   */
  private static void creditNoteTotals(
      SimOrganisation org, InvoiceStore store, List<String> diffs) {
    Map<String, BigDecimal[]> expected = new HashMap<>();
    for (Credit c : org.credits()) {
      if (c.kind() != Credit.Kind.CREDITNOTE) {
        continue;
      }
      String type = "ACCRECCREDIT".equals(c.type()) ? "ACCREC" : "ACCPAY";
      BigDecimal[] t =
          expected.computeIfAbsent(
              c.contactId() + "|" + type + "|" + c.currencyCode(),
              k ->
                  new BigDecimal[] {
                    BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
                  });
      BigDecimal remaining = org.remainingCredit(c.creditId());
      if ("AUTHORISED".equals(c.status()) && remaining.signum() > 0) {
        t[0] = t[0].add(BigDecimal.ONE);
        t[1] = t[1].add(remaining);
      } else if ("PAID".equals(c.status())) {
        t[2] = t[2].add(BigDecimal.ONE);
        t[3] = t[3].add(c.total());
      }
    }
    String tenant = org.tenantId();
    expected.forEach(
        (key, t) -> {
          String[] parts = key.split("\\|");
          ContactTotals stored =
              store.totals(tenant, parts[0]).stream()
                  .filter(x -> x.type().equals(parts[1]) && x.currency().equals(parts[2]))
                  .findFirst()
                  .orElse(
                      new ContactTotals(
                          parts[1], parts[2], 0, BigDecimal.ZERO, 0, BigDecimal.ZERO));
          String who = "contact " + parts[0] + " " + parts[1];
          check(diffs, who, "creditCount", t[0].longValue(), stored.creditCount());
          money(diffs, who, "creditAmount", t[1], stored.creditAmount());
          check(diffs, who, "creditUsedCount", t[2].longValue(), stored.creditUsedCount());
          money(diffs, who, "creditUsedAmount", t[3], stored.creditUsedAmount());
        });
  }

  private static XeroAllocation.Kind kind(Credit.Kind k) {
    return switch (k) {
      case CREDITNOTE -> XeroAllocation.Kind.CREDIT_NOTE;
      case OVERPAYMENT -> XeroAllocation.Kind.OVERPAYMENT;
      case PREPAYMENT -> XeroAllocation.Kind.PREPAYMENT;
    };
  }

  private static void check(
      List<String> diffs, String id, String field, Object truth, Object stored) {
    if (!Objects.equals(truth, stored)) {
      diffs.add(id + " " + field + ": Xero has " + truth + ", we have " + stored);
    }
  }

  private static void money(
      List<String> diffs, String id, String field, BigDecimal truth, BigDecimal stored) {
    if ((truth == null ? BigDecimal.ZERO : truth)
            .compareTo(stored == null ? BigDecimal.ZERO : stored)
        != 0) {
      diffs.add(id + " " + field + ": Xero has " + truth + ", we have " + stored);
    }
  }
}
