package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * How documents are settled: payments against invoices, credits (credit notes, overpayments,
 * prepayments), their allocations to invoices and their refunds, and the status each leaves behind
 * (PAID when nothing is due, AUTHORISED again when a reversal gives something back). Guarded by the
 * ledger's monitor.
 */
final class Settlement {
  private final Organisation org;
  private final ChartOfAccounts chart;
  private final Contacts contacts;
  private final Invoices invoices;
  private final Payments payments;
  private final Map<String, Credit> credits = new LinkedHashMap<>();
  private final Map<String, List<Allocation>> allocationsByInvoice = new HashMap<>();
  private final Map<String, List<Allocation>> allocationsByCredit = new HashMap<>();
  private int creditNoteSeq;

  Settlement(
      Organisation org,
      ChartOfAccounts chart,
      Contacts contacts,
      Invoices invoices,
      Payments payments) {
    this.org = org;
    this.chart = chart;
    this.contacts = contacts;
    this.invoices = invoices;
    this.payments = payments;
  }

  // ---- reads ----

  Credit credit(String id) {
    return credits.get(id);
  }

  List<Credit> credits(Predicate<Credit> filter) {
    return credits.values().stream().filter(filter).toList();
  }

  List<Allocation> allocationsOfCredit(String creditId) {
    return List.copyOf(allocationsByCredit.getOrDefault(creditId, List.of()));
  }

  BigDecimal remainingCredit(String creditId) {
    Credit c = credits.get(creditId);
    return c == null ? BigDecimal.ZERO : remaining(c);
  }

  /** What is left of a credit after its allocations and its refunds (payments of the credit). */
  private BigDecimal remaining(Credit c) {
    return c.total().subtract(allocated(c.creditId())).subtract(refunded(c.creditId()));
  }

  private BigDecimal allocated(String creditId) {
    return allocationsByCredit.getOrDefault(creditId, List.of()).stream()
        .map(Allocation::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private BigDecimal refunded(String creditId) {
    return payments.liveOf(creditId).stream()
        .map(Payment::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The refunds paid out of a credit (Xero lists them as the credit's Payments), live ones. */
  List<Payment> paymentsOfCredit(String creditId) {
    return payments.liveOf(creditId);
  }

  /** The invoice with what its payments and credits paid, and what is still due. */
  InvoiceView view(Invoice inv) {
    List<Payment> ps = payments.liveOf(inv.invoiceId());
    List<InvoiceView.AppliedCredit> cs = new ArrayList<>();
    BigDecimal credited = BigDecimal.ZERO;
    for (Allocation a : allocationsByInvoice.getOrDefault(inv.invoiceId(), List.of())) {
      Credit c = credits.get(a.creditId());
      cs.add(new InvoiceView.AppliedCredit(c, a.amount(), remaining(c)));
      credited = credited.add(a.amount());
    }
    BigDecimal paid = ps.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal due = InvoiceArithmetic.amountDue(inv, paid, credited);
    return new InvoiceView(
        inv, contacts.get(inv.contactId()), ps, List.copyOf(cs), paid, credited, due);
  }

  // ---- payments ----

  /**
   * Why a payment would be refused (empty when accepted): an AUTHORISED document, an active account
   * that is BANK or has payments enabled, a positive amount no larger than what is due, a date
   * after the lock dates.
   */
  List<String> checkPayment(String invoiceId, String accountId, BigDecimal amount, LocalDate date) {
    Invoice inv = invoices.get(invoiceId);
    List<String> errors = new ArrayList<>();
    if (inv == null) {
      return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
    }
    Account acc = accountId == null ? null : chart.account(accountId);
    if (acc == null) {
      errors.add(XeroMessages.ACCOUNT_NOT_FOUND);
    } else if (!acc.active()) {
      errors.add(XeroMessages.ACCOUNT_MUST_BE_VALID);
    } else if (!acc.acceptsPayments()) {
      errors.add(XeroMessages.PAYMENT_ACCOUNT_TYPE);
    }
    if (!Invoice.AUTHORISED.equals(inv.status())) {
      errors.add(XeroMessages.PAYMENT_NOT_AUTHORISED);
    }
    if (amount == null || amount.signum() <= 0) {
      errors.add(XeroMessages.PAYMENT_AMOUNT_POSITIVE);
    } else if (errors.isEmpty() && amount.compareTo(view(inv).amountDue()) > 0) {
      errors.add(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    }
    errors.addAll(org.checkLockDate(org.dateOrToday(date)));
    return errors;
  }

  String pay(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    List<String> errors = checkPayment(invoiceId, accountId, amount, date);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Invoice inv = invoices.get(invoiceId);
    Instant now = org.now();
    String paymentType = "ACCREC".equals(inv.type()) ? "ACCRECPAYMENT" : "ACCPAYPAYMENT";
    String id =
        addPayment(
            invoiceId, accountId, amount, date, reference, paymentType, inv.currencyRate(), now);
    settle(invoiceId, now);
    return id;
  }

  /** Records an AUTHORISED payment of a document (an invoice, or a credit for a refund). */
  private String addPayment(
      String documentId,
      String accountId,
      BigDecimal amount,
      LocalDate date,
      String reference,
      String paymentType,
      BigDecimal currencyRate,
      Instant now) {
    String id = UUID.randomUUID().toString();
    payments.add(
        new Payment(
            id,
            documentId,
            accountId,
            org.dateOrToday(date),
            InvoiceArithmetic.scale(amount),
            reference == null ? "" : reference,
            Payment.AUTHORISED,
            paymentType,
            currencyRate,
            now,
            false));
    return id;
  }

  /**
   * Reverses a payment or a refund: it stays as DELETED and its document owes or holds it again.
   */
  void reversePayment(String paymentId) {
    Payment p = payments.get(paymentId);
    if (p == null) {
      throw new LedgerException("Payment with PaymentID " + paymentId + " could not be found.");
    }
    if (Payment.DELETED.equals(p.status())) {
      throw new LedgerException("Payment has already been deleted");
    }
    Instant now = org.now();
    payments.replace(p.deleted(now));
    if (credits.containsKey(p.invoiceId())) {
      settleCredit(p.invoiceId(), now);
    } else {
      settle(p.invoiceId(), now);
    }
  }

  /**
   * After money moves: PAID when nothing is due, back to AUTHORISED when a reversal leaves
   * something due.
   */
  private void settle(String invoiceId, Instant now) {
    Invoice inv = invoices.get(invoiceId);
    InvoiceView v = view(inv);
    Invoice next;
    if (v.amountDue().signum() == 0 && Invoice.AUTHORISED.equals(inv.status())) {
      LocalDate paidOn =
          v.payments().stream().map(Payment::date).max(Comparator.naturalOrder()).orElse(null);
      LocalDate creditedOn =
          allocationsByInvoice.getOrDefault(invoiceId, List.of()).stream()
              .map(Allocation::date)
              .max(Comparator.naturalOrder())
              .orElse(null);
      next = inv.withStatus(Invoice.PAID, later(paidOn, creditedOn), now);
    } else if (v.amountDue().signum() > 0 && Invoice.PAID.equals(inv.status())) {
      next = inv.withStatus(Invoice.AUTHORISED, null, now);
    } else {
      next = inv.touched(now);
    }
    invoices.put(next);
    org.changed("INVOICE", "UPDATE", invoiceId, now);
  }

  /** The later of two dates, either of which may be null. */
  private static LocalDate later(LocalDate a, LocalDate b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }

  // ---- credits ----

  /**
   * Creates an AUTHORISED ACCRECCREDIT (or overpayment/prepayment) for a contact, not yet
   * allocated.
   */
  String createCredit(
      Credit.Kind kind, String contactId, BigDecimal amount, LocalDate date, String reference) {
    Contact c = contacts.require(contactId);
    if (amount == null || amount.signum() <= 0) {
      throw new LedgerException("Amount must be greater than zero");
    }
    Instant now = org.now();
    String id = UUID.randomUUID().toString();
    String type =
        switch (kind) {
          case CREDITNOTE -> "ACCRECCREDIT";
          case OVERPAYMENT -> "RECEIVE-OVERPAYMENT";
          case PREPAYMENT -> "RECEIVE-PREPAYMENT";
        };
    String number =
        kind == Credit.Kind.CREDITNOTE ? String.format("CN-%04d", ++creditNoteSeq) : null;
    BigDecimal amt = InvoiceArithmetic.scale(amount);
    LineItem line =
        new LineItem(
            UUID.randomUUID().toString(),
            reference == null ? "" : reference,
            BigDecimal.ONE,
            amt,
            "200",
            "NONE",
            BigDecimal.ZERO.setScale(2),
            amt);
    credits.put(
        id,
        new Credit(
            id,
            kind,
            type,
            c.contactId(),
            number,
            reference == null ? "" : reference,
            org.dateOrToday(date),
            "NoTax",
            List.of(line),
            amt,
            BigDecimal.ZERO.setScale(2),
            amt,
            org.baseCurrency(),
            Invoice.AUTHORISED,
            now,
            null));
    creditChanged(credits.get(id), "CREATE", now);
    return id;
  }

  /** Xero raises CREDITNOTE events for credit notes; overpayments and prepayments have none. */
  private void creditChanged(Credit c, String eventType, Instant at) {
    if (c.kind() == Credit.Kind.CREDITNOTE) {
      org.changed("CREDITNOTE", eventType, c.creditId(), at);
    }
  }

  /**
   * After a credit's remaining amount moves: PAID when nothing remains, AUTHORISED again when an
   * un-allocation or a reversed refund gives some back; UpdatedDateUTC moves either way.
   */
  private void settleCredit(String creditId, Instant now) {
    Credit c = credits.get(creditId);
    Credit next;
    if (remaining(c).signum() == 0) {
      LocalDate on =
          allocationsByCredit.getOrDefault(creditId, List.of()).stream()
              .map(Allocation::date)
              .max(Comparator.naturalOrder())
              .orElse(null);
      LocalDate refundedOn =
          paymentsOfCredit(creditId).stream()
              .map(Payment::date)
              .max(Comparator.naturalOrder())
              .orElse(null);
      if (on == null || (refundedOn != null && refundedOn.isAfter(on))) {
        on = refundedOn;
      }
      next = c.withStatus(Invoice.PAID, on, now);
    } else {
      next = c.withStatus(Invoice.AUTHORISED, null, now);
    }
    credits.put(creditId, next);
    creditChanged(next, "UPDATE", now);
  }

  /** Why an allocation would be refused (empty when allowed). */
  List<String> checkAllocation(String creditId, String invoiceId, BigDecimal amount) {
    Credit c = credits.get(creditId);
    if (c == null) {
      return List.of("Credit could not be found");
    }
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) {
      return List.of("Invoice could not be found");
    }
    if (!Invoice.AUTHORISED.equals(inv.status())) {
      return List.of("Allocations can only be made against Authorised documents");
    }
    if (!c.contactId().equals(inv.contactId())) {
      return List.of("The document and the credit must belong to the same contact");
    }
    if (amount == null || amount.signum() <= 0) {
      return List.of("Amount must be greater than zero");
    }
    if (amount.compareTo(remaining(c)) > 0) {
      return List.of("The amount being allocated exceeds the remaining credit");
    }
    if (amount.compareTo(view(inv).amountDue()) > 0) {
      return List.of("The amount being allocated exceeds the amount outstanding on the invoice");
    }
    return List.of();
  }

  /**
   * Applies credit to an invoice. The allocation's Date is read-only in Xero: it is the later of
   * the invoice's date and the credit's date, whatever the request sent (Xero's Overpayments
   * documentation).
   */
  String allocate(String creditId, String invoiceId, BigDecimal amount) {
    List<String> errors = checkAllocation(creditId, invoiceId, amount);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Credit c = credits.get(creditId);
    Invoice inv = invoices.get(invoiceId);
    Instant now = org.now();
    LocalDate on = inv.date() == null || c.date().isAfter(inv.date()) ? c.date() : inv.date();
    Allocation a =
        new Allocation(
            UUID.randomUUID().toString(), creditId, invoiceId, InvoiceArithmetic.scale(amount), on);
    allocationsByInvoice.computeIfAbsent(invoiceId, k -> new ArrayList<>()).add(a);
    allocationsByCredit.computeIfAbsent(creditId, k -> new ArrayList<>()).add(a);
    settleCredit(creditId, now);
    settle(invoiceId, now);
    return a.allocationId();
  }

  Allocation allocation(String creditId, String allocationId) {
    return allocationsByCredit.getOrDefault(creditId, List.of()).stream()
        .filter(a -> a.allocationId().equalsIgnoreCase(allocationId))
        .findFirst()
        .orElse(null);
  }

  /**
   * Deletes an allocation: the credit gets the amount back and the invoice owes it again (a PAID
   * invoice reopens as AUTHORISED). Returns the allocation removed.
   */
  Allocation deallocate(String creditId, String allocationId) {
    Allocation a = allocation(creditId, allocationId);
    if (a == null) {
      throw new LedgerException(XeroMessages.allocationNotFound(allocationId));
    }
    Invoice inv = invoices.get(a.invoiceId());
    List<String> locked = org.checkLockDate(a.date());
    if (!locked.isEmpty()) {
      throw new LedgerException(locked);
    }
    if (Invoice.VOIDED.equals(inv.status()) || Invoice.DELETED.equals(inv.status())) {
      throw new LedgerException(XeroMessages.ALLOCATION_INVOICE_VOIDED);
    }
    Instant now = org.now();
    allocationsByCredit.get(creditId).remove(a);
    allocationsByInvoice.get(a.invoiceId()).remove(a);
    settleCredit(creditId, now);
    settle(a.invoiceId(), now);
    return a;
  }

  /**
   * Pays out part of a credit (a cash refund of a credit note, overpayment or prepayment): a
   * payment Xero lists in /Payments with the credit's PaymentType, its Invoice element naming the
   * credit.
   */
  String refundCredit(
      String creditId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    List<String> errors = checkRefund(creditId, accountId, amount, date);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Credit c = credits.get(creditId);
    Instant now = org.now();
    String id =
        addPayment(
            creditId,
            accountId,
            amount,
            date,
            reference,
            c.paymentType(),
            BigDecimal.ONE.setScale(6),
            now);
    settleCredit(creditId, now);
    return id;
  }

  /** Why a refund of a credit would be refused (empty when it would be paid), as for payments. */
  List<String> checkRefund(String creditId, String accountId, BigDecimal amount, LocalDate date) {
    Credit c = credits.get(creditId);
    if (c == null) {
      return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
    }
    List<String> errors = new ArrayList<>();
    Account acc = accountId == null ? null : chart.account(accountId);
    if (acc == null) {
      errors.add(XeroMessages.ACCOUNT_NOT_FOUND);
    } else if (!acc.acceptsPayments()) {
      errors.add(XeroMessages.PAYMENT_ACCOUNT_TYPE);
    }
    if (!Invoice.AUTHORISED.equals(c.status())) {
      errors.add(XeroMessages.PAYMENT_NOT_AUTHORISED);
    }
    if (amount == null || amount.signum() <= 0) {
      errors.add(XeroMessages.PAYMENT_AMOUNT_POSITIVE);
    } else if (amount.compareTo(remaining(c)) > 0) {
      errors.add(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    }
    errors.addAll(org.checkLockDate(org.dateOrToday(date)));
    return errors;
  }
}
