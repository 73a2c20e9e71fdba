package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Account;
import dev.xerosync.infra.xero.ledger.Allocation;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.LineItem;
import dev.xerosync.infra.xero.ledger.Payment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Ledger records in the accounting API's JSON shapes, field order following Xero's own responses.
 */
public final class AccountingJson {
  /**
   * How much of an invoice a response carries: Xero omits line items from unpaged lists and trims
   * summaryOnly.
   */
  public enum Detail {
    FULL,
    NO_LINES,
    SUMMARY
  }

  private AccountingJson() {}

  public static ObjectNode invoice(InvoiceView v, Detail detail) {
    Invoice inv = v.invoice();
    ObjectNode n = XeroJson.object();
    n.put("Type", inv.type())
        .put("InvoiceID", inv.invoiceId())
        .put("InvoiceNumber", inv.invoiceNumber())
        .put("Reference", inv.reference());
    if (detail != Detail.SUMMARY) {
      ArrayNode pays = n.putArray("Payments");
      for (Payment p : v.payments()) {
        ObjectNode pn = pays.addObject().put("PaymentID", p.paymentId());
        date(pn, "Date", p.date(), false);
        pn.put("Amount", XeroJson.money(p.amount()))
            .put("Reference", p.reference())
            .put("CurrencyRate", XeroJson.rate(p.currencyRate()))
            .put("HasAccount", false)
            .put("HasValidationErrors", false);
      }
      ArrayNode cns = n.putArray("CreditNotes");
      ArrayNode pre = n.putArray("Prepayments");
      ArrayNode over = n.putArray("Overpayments");
      for (InvoiceView.AppliedCredit ac : v.credits()) {
        Credit c = ac.credit();
        ObjectNode cn =
            switch (c.kind()) {
              case CREDITNOTE ->
                  cns.addObject()
                      .put("CreditNoteID", c.creditId())
                      .put("CreditNoteNumber", c.number());
              case PREPAYMENT -> pre.addObject().put("PrepaymentID", c.creditId());
              case OVERPAYMENT -> over.addObject().put("OverpaymentID", c.creditId());
            };
        cn.put("ID", c.creditId()).put("AppliedAmount", XeroJson.money(ac.appliedAmount()));
        date(cn, "Date", c.date(), true);
        cn.putArray("LineItems");
        cn.put("Total", XeroJson.money(c.total()));
      }
    }
    n.put("AmountDue", XeroJson.money(v.amountDue()))
        .put("AmountPaid", XeroJson.money(v.amountPaid()))
        .put("AmountCredited", XeroJson.money(v.amountCredited()));
    if (!Invoice.DRAFT.equals(inv.status()) && !Invoice.SUBMITTED.equals(inv.status())) {
      n.put("SentToContact", inv.sentToContact());
    }
    n.put("CurrencyRate", XeroJson.rate(inv.currencyRate()))
        .put(
            "IsDiscounted",
            inv.lineItems().stream()
                .anyMatch(l -> l.discountRate() != null && l.discountRate().signum() != 0))
        .put("HasAttachments", false)
        .put("HasErrors", false);
    n.set("Contact", contactRef(v.contact()));
    date(n, "Date", inv.date(), true);
    if (inv.dueDate() != null) {
      date(n, "DueDate", inv.dueDate(), true);
    }
    n.put("Status", inv.status()).put("LineAmountTypes", inv.lineAmountTypes());
    if (detail == Detail.FULL) {
      n.set("LineItems", lineItems(inv.lineItems()));
    } else if (detail == Detail.NO_LINES) {
      n.putArray("LineItems");
    }
    n.put("SubTotal", XeroJson.money(inv.subTotal()))
        .put("TotalTax", XeroJson.money(inv.totalTax()))
        .put("Total", XeroJson.money(inv.total()))
        .put("UpdatedDateUTC", XeroJson.msDateTime(inv.updatedDateUtc()))
        .put("CurrencyCode", inv.currencyCode());
    if (inv.fullyPaidOnDate() != null) {
      n.put("FullyPaidOnDate", XeroJson.msDate(inv.fullyPaidOnDate()));
    }
    return n;
  }

  /**
   * Date fields come as /Date()/; most also carry an ISO "...String" twin (DateString,
   * DueDateString).
   */
  static void date(ObjectNode n, String field, LocalDate d, boolean withString) {
    if (withString) {
      n.put(field + "String", XeroJson.dateString(d));
    }
    n.put(field, XeroJson.msDate(d));
  }

  public static ArrayNode lineItems(List<LineItem> lines) {
    ArrayNode arr = XeroJson.MAPPER.createArrayNode();
    for (LineItem l : lines) {
      ObjectNode ln =
          arr.addObject()
              .put("Description", l.description())
              .put("UnitAmount", XeroJson.money(l.unitAmount()))
              .put("TaxType", l.taxType())
              .put("TaxAmount", XeroJson.money(l.taxAmount()))
              .put("LineAmount", XeroJson.money(l.lineAmount()));
      if (l.accountCode() != null) {
        ln.put("AccountCode", l.accountCode());
      }
      if (l.itemCode() != null) {
        ln.put("ItemCode", l.itemCode());
      }
      if (l.discountRate() != null) {
        ln.put("DiscountRate", XeroJson.money(l.discountRate()));
      }
      ln.putArray("Tracking");
      ln.put("Quantity", l.quantity().setScale(4, java.math.RoundingMode.HALF_UP))
          .put("LineItemID", l.lineItemId());
    }
    return arr;
  }

  /** The contact as embedded in a transaction: id, name and Xero's empty collections. */
  public static ObjectNode contactRef(Contact c) {
    ObjectNode n = XeroJson.object().put("ContactID", c.contactId()).put("Name", c.name());
    n.putArray("Addresses");
    n.putArray("Phones");
    n.putArray("ContactGroups");
    n.putArray("ContactPersons");
    n.put("HasValidationErrors", false);
    return n;
  }

  public static ObjectNode contact(Contact c, boolean summary) {
    return contact(c, summary, true);
  }

  /**
   * A contact as Xero returns it. {@code withMerge}: MergedToContactID is "only returned when using
   * paging or when fetching a contact by ContactId or ContactNumber" (xero_accounting.yaml,
   * Contact.MergedToContactID; the same words in Xero's SDK models, e.g. XeroAPI/xero-ruby
   * docs/accounting/Contact.md), so an unpaged list leaves it out.
   */
  public static ObjectNode contact(Contact c, boolean summary, boolean withMerge) {
    ObjectNode n = XeroJson.object().put("ContactID", c.contactId());
    if (withMerge && c.mergedToContactId() != null) {
      n.put("MergedToContactID", c.mergedToContactId());
    }
    if (c.contactNumber() != null) {
      n.put("ContactNumber", c.contactNumber());
    }
    n.put("ContactStatus", c.status()).put("Name", c.name());
    if (c.emailAddress() != null) {
      n.put("EmailAddress", c.emailAddress());
    }
    n.put("BankAccountDetails", "");
    if (!summary) {
      ContactDetailsJson.write(n, c.details());
      for (String list : List.of("ContactGroups", "ContactPersons")) {
        if (!n.has(list)) {
          n.putArray(list);
        }
      }
    }
    n.put("UpdatedDateUTC", XeroJson.msDateTime(c.updatedDateUtc()))
        .put("IsSupplier", c.isSupplier())
        .put("IsCustomer", c.isCustomer())
        .put("HasAttachments", false)
        .put("HasValidationErrors", false);
    return n;
  }

  /** A payment as /Payments returns it: with the invoice and account it links. */
  public static ObjectNode payment(Payment p, Ledger ledger) {
    Invoice inv = ledger.invoice(p.invoiceId());
    Credit credit = inv == null ? ledger.credit(p.invoiceId()) : null;
    Contact c = ledger.contact(inv != null ? inv.contactId() : credit.contactId());
    Account acc = ledger.accountByCodeOrId(null, p.accountId());
    ObjectNode n = XeroJson.object().put("PaymentID", p.paymentId());
    date(n, "Date", p.date(), false);
    n.put("BankAmount", XeroJson.money(p.amount()))
        .put("Amount", XeroJson.money(p.amount()))
        .put("Reference", p.reference())
        .put("CurrencyRate", XeroJson.rate(p.currencyRate()))
        .put("PaymentType", p.paymentType())
        .put("Status", p.status())
        .put("UpdatedDateUTC", XeroJson.msDateTime(p.updatedDateUtc()))
        .put("HasAccount", true)
        .put("IsReconciled", p.isReconciled());
    ObjectNode an =
        n.putObject("Account").put("AccountID", acc.accountId()).put("Code", acc.code());
    an.put("Name", acc.name());
    // A payment of a credit (a refund) names the credit in its Invoice element, with the credit's
    // Invoice Type (ACCRECCREDIT, AROVERPAYMENT, ARPREPAYMENT), as Xero's getPayments example
    // shows.
    ObjectNode in =
        n.putObject("Invoice")
            .put("Type", inv != null ? inv.type() : credit.invoiceType())
            .put("InvoiceID", p.invoiceId())
            .put(
                "InvoiceNumber",
                inv != null ? inv.invoiceNumber() : credit.number() == null ? "" : credit.number());
    in.putArray("Payments");
    in.putArray("CreditNotes");
    in.putArray("Prepayments");
    in.putArray("Overpayments");
    in.put("IsDiscounted", false).put("HasErrors", false);
    in.set("Contact", contactRef(c));
    in.putArray("LineItems");
    in.put("CurrencyCode", inv != null ? inv.currencyCode() : credit.currencyCode());
    if (inv != null) {
      // The invoice as the payment left it, as the spec's createPayment example shows it.
      InvoiceView v = ledger.view(inv.invoiceId());
      in.put("AmountDue", XeroJson.money(v.amountDue()))
          .put("AmountPaid", XeroJson.money(v.amountPaid()))
          .put("Status", v.status())
          .put("Total", XeroJson.money(v.total()));
    }
    if (credit != null) {
      creditRef(n, credit);
    }
    n.put("HasValidationErrors", false);
    return n;
  }

  /** The credit a payment or allocation belongs to: {CreditNote|Overpayment|Prepayment: {ID}}. */
  static ObjectNode creditRef(ObjectNode into, Credit c) {
    ObjectNode r =
        switch (c.kind()) {
          case CREDITNOTE -> into.putObject("CreditNote").put("CreditNoteID", c.creditId());
          case OVERPAYMENT -> into.putObject("Overpayment").put("OverpaymentID", c.creditId());
          case PREPAYMENT -> into.putObject("Prepayment").put("PrepaymentID", c.creditId());
        };
    r.put("ID", c.creditId());
    r.putArray("LineItems");
    return r;
  }

  /**
   * An allocation as PUT .../Allocations answers it (the spec's Allocations example): amount, date,
   * the invoice with Xero's empty collections, and the credit it came from.
   */
  public static ObjectNode allocation(Allocation a, Credit c, Ledger ledger) {
    ObjectNode n =
        XeroJson.object()
            .put("AllocationID", a.allocationId())
            .put("Amount", XeroJson.money(a.amount()));
    date(n, "Date", a.date(), true);
    ObjectNode in =
        n.putObject("Invoice")
            .put("InvoiceID", a.invoiceId())
            .put("InvoiceNumber", ledger.invoice(a.invoiceId()).invoiceNumber());
    in.putArray("Payments");
    in.putArray("CreditNotes");
    in.putArray("Prepayments");
    in.putArray("Overpayments");
    in.put("HasErrors", false).put("IsDiscounted", false);
    in.putArray("LineItems");
    in.putArray("ValidationErrors");
    creditRef(n, c);
    n.putArray("ValidationErrors");
    return n;
  }

  public static ObjectNode credit(Credit c, Ledger ledger, List<Allocation> allocations) {
    ObjectNode n = XeroJson.object();
    String idField =
        switch (c.kind()) {
          case CREDITNOTE -> "CreditNoteID";
          case OVERPAYMENT -> "OverpaymentID";
          case PREPAYMENT -> "PrepaymentID";
        };
    n.put(idField, c.creditId());
    if (c.number() != null) {
      n.put("CreditNoteNumber", c.number());
    }
    n.put("Type", c.type()).put("Reference", c.reference());
    n.set("Contact", contactRef(ledger.contact(c.contactId())));
    date(n, "Date", c.date(), true);
    n.put("Status", c.status()).put("LineAmountTypes", c.lineAmountTypes());
    n.set("LineItems", lineItems(c.lineItems()));
    BigDecimal remaining = ledger.remainingCredit(c.creditId());
    n.put("SubTotal", XeroJson.money(c.subTotal()))
        .put("TotalTax", XeroJson.money(c.totalTax()))
        .put("Total", XeroJson.money(c.total()))
        .put("UpdatedDateUTC", XeroJson.msDateTime(c.updatedDateUtc()))
        .put("CurrencyCode", c.currencyCode())
        .put("CurrencyRate", XeroJson.rate(BigDecimal.ONE))
        .put("RemainingCredit", XeroJson.money(remaining));
    // Only credit notes report FullyPaidOnDate; overpayments and prepayments have no such field.
    if (c.fullyPaidOnDate() != null && c.kind() == Credit.Kind.CREDITNOTE) {
      n.put("FullyPaidOnDate", XeroJson.msDate(c.fullyPaidOnDate()));
    }
    ArrayNode allocs = n.putArray("Allocations");
    for (Allocation a : allocations) {
      Invoice inv = ledger.invoice(a.invoiceId());
      ObjectNode an =
          allocs
              .addObject()
              .put("AllocationID", a.allocationId())
              .put("Amount", XeroJson.money(a.amount()));
      date(an, "Date", a.date(), true);
      ObjectNode in =
          an.putObject("Invoice")
              .put("InvoiceID", inv.invoiceId())
              .put("InvoiceNumber", inv.invoiceNumber());
      in.putArray("Payments");
      in.putArray("CreditNotes");
      in.putArray("Prepayments");
      in.putArray("Overpayments");
      in.put("HasErrors", false).put("IsDiscounted", false);
      in.putArray("LineItems");
    }
    ArrayNode pays = n.putArray("Payments");
    for (Payment p : ledger.paymentsOfCredit(c.creditId())) {
      ObjectNode pn = pays.addObject().put("PaymentID", p.paymentId());
      date(pn, "Date", p.date(), false);
      pn.put("Amount", XeroJson.money(p.amount()))
          .put("Reference", p.reference())
          .put("CurrencyRate", XeroJson.rate(p.currencyRate()))
          .put("HasAccount", false)
          .put("HasValidationErrors", false);
    }
    n.put("HasAttachments", false);
    return n;
  }

  public static ObjectNode account(Account a, String baseCurrency) {
    ObjectNode n =
        XeroJson.object()
            .put("AccountID", a.accountId())
            .put("Code", a.code())
            .put("Name", a.name())
            .put("Status", a.status())
            .put("Type", a.type())
            .put("TaxType", a.taxType())
            .put("Class", a.accountClass())
            .put("EnablePaymentsToAccount", a.enablePaymentsToAccount())
            .put("ShowInExpenseClaims", false);
    if ("BANK".equals(a.type())) {
      n.put("BankAccountNumber", a.bankAccountNumber())
          .put("BankAccountType", "BANK")
          .put("CurrencyCode", baseCurrency);
    }
    if (a.systemAccount() != null) {
      n.put("SystemAccount", a.systemAccount());
    }
    n.put("ReportingCode", "").put("HasAttachments", false).put("AddToWatchlist", false);
    return n;
  }

  public static ObjectNode bankTransaction(
      dev.xerosync.infra.xero.ledger.BankTransaction b, Ledger ledger) {
    ObjectNode n = XeroJson.object().put("Type", b.type());
    n.set("Contact", contactRef(ledger.contact(b.contactId())));
    n.set("LineItems", lineItems(b.lineItems()));
    Account acc = ledger.accountByCodeOrId(null, b.bankAccountId());
    n.putObject("BankAccount")
        .put("AccountID", acc.accountId())
        .put("Code", acc.code())
        .put("Name", acc.name());
    n.put("IsReconciled", false);
    // DateString beside Date, as the spec's BankTransactions examples give it.
    date(n, "Date", b.date(), true);
    n.put("Reference", b.reference())
        .put("CurrencyCode", b.currencyCode())
        .put("CurrencyRate", XeroJson.rate(b.currencyRate()))
        .put("Status", b.status())
        .put("LineAmountTypes", b.lineAmountTypes())
        .put("SubTotal", XeroJson.money(b.subTotal()))
        .put("TotalTax", XeroJson.money(b.totalTax()))
        .put("Total", XeroJson.money(b.total()))
        .put("BankTransactionID", b.bankTransactionId());
    if (b.creditId() != null) {
      n.put("RECEIVE-PREPAYMENT".equals(b.type()) ? "PrepaymentID" : "OverpaymentID", b.creditId());
    }
    n.put("UpdatedDateUTC", XeroJson.msDateTime(b.updatedDateUtc())).put("HasAttachments", false);
    return n;
  }
}
