package dev.xerosync.infra.xero.ledger;

import dev.xerosync.infra.xero.ledger.InvoiceArithmetic.Totals;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The organisation's invoices and Xero's rules for them: what a new invoice must carry, which
 * status changes are allowed, and what an edit may change. Guarded by the ledger's monitor.
 */
final class Invoices {
  private final Organisation org;
  private final Contacts contacts;
  private final LineRules lineRules;
  private final Function<Invoice, InvoiceView> view;
  private final Map<String, Invoice> invoices = new LinkedHashMap<>();
  private final Map<String, String> invoiceIdByNumber = new HashMap<>();
  private int invoiceSeq;

  /** {@code view} derives what other documents paid or credited (payments and allocations). */
  Invoices(
      Organisation org,
      Contacts contacts,
      LineRules lineRules,
      Function<Invoice, InvoiceView> view) {
    this.org = org;
    this.contacts = contacts;
    this.lineRules = lineRules;
    this.view = view;
  }

  Invoice get(String id) {
    return invoices.get(id);
  }

  Invoice byNumber(String number) {
    String id = invoiceIdByNumber.get(number);
    return id == null ? null : invoices.get(id);
  }

  List<Invoice> list(Predicate<Invoice> filter) {
    return invoices.values().stream().filter(filter).toList();
  }

  int count() {
    return invoices.size();
  }

  /** Replaces an invoice's record (a status or UpdatedDateUTC moved by settlement). */
  void put(Invoice inv) {
    invoices.put(inv.invoiceId(), inv);
  }

  /**
   * Xero's validation messages for a prospective invoice, without creating it (empty when it would
   * succeed).
   */
  List<String> validate(NewInvoice spec) {
    List<String> errors = new ArrayList<>();
    prepareLines(spec, errors);
    return errors;
  }

  private List<LineItem> prepareLines(NewInvoice spec, List<String> errors) {
    String type = spec.type() == null ? null : spec.type().toUpperCase();
    String status = spec.status() == null ? Invoice.DRAFT : spec.status().toUpperCase();
    boolean creatable =
        List.of(Invoice.DRAFT, Invoice.SUBMITTED, Invoice.AUTHORISED).contains(status);
    // Xero's order in its recorded answers: lines, type, status, contact (see XeroMessages).
    if (spec.lines().isEmpty() && !creatable) {
      errors.add(XeroMessages.LINE_ITEMS_REQUIRED);
    }
    if (!"ACCREC".equals(type) && !"ACCPAY".equals(type)) {
      errors.add(XeroMessages.INVOICE_TYPE_REQUIRED);
    }
    if (!creatable) {
      errors.add(XeroMessages.STATUS_ON_CREATE);
    }
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    if (contact == null) {
      errors.add(XeroMessages.CONTACT_REQUIRED);
    } else if (Contact.ARCHIVED.equals(contact.status())) {
      errors.add(XeroMessages.CONTACT_ARCHIVED);
    }
    String number = spec.invoiceNumber();
    if (number != null && invoiceIdByNumber.containsKey(number) && "ACCREC".equals(type)) {
      errors.add(XeroMessages.INVOICE_NUMBER_NOT_UNIQUE);
    }
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!LineRules.LINE_AMOUNT_TYPES.contains(lat)) {
      errors.add(XeroMessages.LINE_AMOUNT_TYPES);
    }
    String currency = spec.currencyCode();
    if (currency != null && !org.subscribes(currency)) {
      errors.add(XeroMessages.currencyNotSubscribed(currency));
    }
    errors.addAll(org.checkLockDate(org.dateOrToday(spec.date())));
    if (Invoice.AUTHORISED.equals(status) && spec.lines().isEmpty()) {
      errors.add(XeroMessages.LINE_ITEM_REQUIRED_TO_APPROVE);
    }
    if (Invoice.AUTHORISED.equals(status) && spec.dueDate() == null) {
      errors.add(XeroMessages.DUE_DATE_REQUIRED);
    }
    List<LineItem> lines = new ArrayList<>();
    for (NewInvoice.Line l : spec.lines()) {
      LineItem li = lineRules.prepare(l, lat, type, errors);
      if (li != null) {
        lines.add(li);
      }
    }
    if (errors.isEmpty()) {
      errors.addAll(InvoiceArithmetic.checkSentTotals(spec, lines, lat));
    }
    return lines;
  }

  String create(NewInvoice spec) {
    List<String> errors = new ArrayList<>();
    List<LineItem> lines = prepareLines(spec, errors);
    String type = spec.type() == null ? null : spec.type().toUpperCase();
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    String status = spec.status() == null ? Invoice.DRAFT : spec.status().toUpperCase();
    String number = spec.invoiceNumber();
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    if (number == null || number.isBlank()) {
      number = "ACCREC".equals(type) ? nextInvoiceNumber() : "";
    }
    Instant now = org.now();
    LocalDate date = org.dateOrToday(spec.date());
    Totals t = InvoiceArithmetic.totals(lines, lat);
    BigDecimal total = InvoiceArithmetic.keptTotal(spec, t);
    String currency = spec.currencyCode() == null ? org.baseCurrency() : spec.currencyCode();
    BigDecimal rate = spec.currencyRate() != null ? spec.currencyRate() : org.dayRate(currency);
    String id = UUID.randomUUID().toString();
    Invoice inv =
        new Invoice(
            id,
            type,
            contact.contactId(),
            number,
            spec.reference() == null ? "" : spec.reference(),
            date,
            spec.dueDate(),
            lat,
            List.copyOf(lines),
            currency,
            rate,
            status,
            InvoiceArithmetic.scale(t.subTotal()),
            InvoiceArithmetic.scale(t.tax()),
            InvoiceArithmetic.scale(total),
            null,
            now,
            now,
            spec.createdByClientId(),
            false);
    invoices.put(id, inv);
    if (!number.isEmpty()) {
      invoiceIdByNumber.put(number, id);
    }
    org.changed("INVOICE", "CREATE", id, now);
    contacts.markRole(contact, type, now);
    return id;
  }

  private String nextInvoiceNumber() {
    String n;
    do {
      n = String.format("INV-%04d", ++invoiceSeq);
    } while (invoiceIdByNumber.containsKey(n));
    return n;
  }

  private boolean hasPaymentOrCredit(Invoice inv) {
    InvoiceView v = view.apply(inv);
    return !v.payments().isEmpty() || !v.credits().isEmpty();
  }

  /** Why a status change would be refused (empty when allowed). */
  List<String> checkTransition(String invoiceId, String target) {
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) {
      return List.of(XeroMessages.invoiceNotFound(invoiceId));
    }
    String from = inv.status();
    target = target.toUpperCase();
    if (from.equals(target)) {
      return List.of();
    }
    boolean ok =
        switch (target) {
          case Invoice.DRAFT -> from.equals(Invoice.SUBMITTED);
          case Invoice.SUBMITTED -> from.equals(Invoice.DRAFT);
          case Invoice.AUTHORISED -> from.equals(Invoice.DRAFT) || from.equals(Invoice.SUBMITTED);
          case Invoice.DELETED -> from.equals(Invoice.DRAFT) || from.equals(Invoice.SUBMITTED);
          case Invoice.VOIDED -> from.equals(Invoice.AUTHORISED);
          default -> false;
        };
    if (target.equals(Invoice.VOIDED)
        && (from.equals(Invoice.AUTHORISED) || from.equals(Invoice.PAID))
        && hasPaymentOrCredit(inv)) {
      return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE, XeroMessages.HAS_PAYMENT_OR_CREDIT);
    }
    if (!ok) {
      return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE);
    }
    if (target.equals(Invoice.AUTHORISED)) {
      if (inv.lineItems().isEmpty()) {
        return List.of(XeroMessages.LINE_ITEM_REQUIRED_TO_APPROVE);
      }
      if (inv.dueDate() == null) {
        return List.of(XeroMessages.DUE_DATE_REQUIRED);
      }
    }
    if (target.equals(Invoice.AUTHORISED) || target.equals(Invoice.VOIDED)) {
      return org.checkLockDate(inv.date());
    }
    return List.of();
  }

  /**
   * Moves an invoice between user-settable statuses with Xero's rules: DRAFT, SUBMITTED and
   * AUTHORISED move forward (SUBMITTED may go back to DRAFT), DELETED only from DRAFT or SUBMITTED,
   * VOIDED only from AUTHORISED with nothing paid or credited. PAID is reached only through
   * payments and allocations.
   */
  void transition(String invoiceId, String target) {
    List<String> errors = checkTransition(invoiceId, target);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Invoice inv = invoices.get(invoiceId);
    target = target.toUpperCase();
    if (inv.status().equals(target)) {
      return;
    }
    Instant now = org.now();
    invoices.put(invoiceId, inv.withStatus(target, null, now));
    org.changed("INVOICE", "UPDATE", invoiceId, now);
  }

  /** Why an edit would be refused (empty when allowed). */
  List<String> checkEdit(String invoiceId, InvoiceEdit edit) {
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) {
      return List.of(XeroMessages.invoiceNotFound(invoiceId));
    }
    if (List.of(Invoice.PAID, Invoice.VOIDED, Invoice.DELETED).contains(inv.status())) {
      return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE);
    }
    List<String> errors = new ArrayList<>(org.checkLockDate(inv.date()));
    if (edit.date() != null && errors.isEmpty()) {
      errors.addAll(org.checkLockDate(edit.date()));
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    if (edit.lines() != null || edit.lineAmountTypes() != null) {
      if (hasPaymentOrCredit(inv)) {
        return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE, XeroMessages.HAS_PAYMENT_OR_CREDIT);
      }
      String lat = edit.lineAmountTypes() == null ? inv.lineAmountTypes() : edit.lineAmountTypes();
      List<NewInvoice.Line> lines =
          edit.lines() == null ? List.of() : mergeLines(inv, edit.lines());
      prepareLines(probe(inv, lat, lines), errors);
      if (edit.lines() != null && edit.lines().isEmpty() && !Invoice.DRAFT.equals(inv.status())) {
        errors.add(XeroMessages.LINE_ITEM_REQUIRED_TO_APPROVE);
      }
    }
    if (edit.invoiceNumber() != null
        && !edit.invoiceNumber().equals(inv.invoiceNumber())
        && invoiceIdByNumber.containsKey(edit.invoiceNumber())
        && "ACCREC".equals(inv.type())) {
      errors.add(XeroMessages.INVOICE_NUMBER_NOT_UNIQUE);
    }
    return errors;
  }

  /** The edited invoice as a DRAFT creation request, so its lines pass the creation rules. */
  private static NewInvoice probe(Invoice inv, String lat, List<NewInvoice.Line> lines) {
    return new NewInvoice(
        inv.type(),
        inv.contactId(),
        null,
        null,
        inv.date(),
        inv.dueDate(),
        lat,
        lines,
        null,
        Invoice.DRAFT,
        null);
  }

  /**
   * Edits an invoice's header and lines; Xero refuses edits to paid, voided or deleted invoices.
   */
  void update(String invoiceId, InvoiceEdit edit) {
    List<String> errors = checkEdit(invoiceId, edit);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Invoice inv = invoices.get(invoiceId);
    String lat = edit.lineAmountTypes() == null ? inv.lineAmountTypes() : edit.lineAmountTypes();
    List<LineItem> lines = inv.lineItems();
    BigDecimal subTotal = inv.subTotal(), tax = inv.totalTax(), total = inv.total();
    if (edit.lines() != null || edit.lineAmountTypes() != null) {
      List<NewInvoice.Line> requested =
          edit.lines() != null
              ? mergeLines(inv, edit.lines())
              : inv.lineItems().stream().map(Invoices::asRequested).toList();
      lines = List.copyOf(prepareLines(probe(inv, lat, requested), new ArrayList<>()));
      Totals t = InvoiceArithmetic.totals(lines, lat);
      subTotal = t.subTotal();
      tax = t.tax();
      total = t.total();
    }
    String number = edit.invoiceNumber() == null ? inv.invoiceNumber() : edit.invoiceNumber();
    if (!number.equals(inv.invoiceNumber())) {
      invoiceIdByNumber.remove(inv.invoiceNumber());
      invoiceIdByNumber.put(number, invoiceId);
    }
    Instant now = org.now();
    invoices.put(
        invoiceId,
        new Invoice(
            inv.invoiceId(),
            inv.type(),
            inv.contactId(),
            number,
            edit.reference() == null ? inv.reference() : edit.reference(),
            edit.date() == null ? inv.date() : edit.date(),
            edit.dueDate() == null ? inv.dueDate() : edit.dueDate(),
            lat,
            lines,
            inv.currencyCode(),
            inv.currencyRate(),
            inv.status(),
            subTotal,
            tax,
            total,
            inv.fullyPaidOnDate(),
            inv.createdDateUtc(),
            now,
            inv.createdByClientId(),
            inv.sentToContact()));
    org.changed("INVOICE", "UPDATE", invoiceId, now);
  }

  private static NewInvoice.Line asRequested(LineItem l) {
    return new NewInvoice.Line(
        l.description(),
        l.quantity(),
        l.unitAmount(),
        l.accountCode(),
        l.taxType(),
        l.lineItemId(),
        l.discountRate(),
        l.itemCode());
  }

  /**
   * Xero's LineItemID rule on update: a sent line naming an existing LineItemID updates that line
   * (fields it leaves out keep their values); a line without one is added; an existing line left
   * out is deleted. An unknown LineItemID is treated as a new line (unsourced).
   */
  private static List<NewInvoice.Line> mergeLines(Invoice inv, List<NewInvoice.Line> sent) {
    Map<String, LineItem> existing = new HashMap<>();
    for (LineItem l : inv.lineItems()) {
      existing.put(l.lineItemId(), l);
    }
    List<NewInvoice.Line> out = new ArrayList<>();
    for (NewInvoice.Line l : sent) {
      LineItem old = l.lineItemId() == null ? null : existing.get(l.lineItemId().toLowerCase());
      if (old == null) {
        out.add(
            new NewInvoice.Line(
                l.description(),
                l.quantity(),
                l.unitAmount(),
                l.accountCode(),
                l.taxType(),
                null,
                l.discountRate(),
                l.itemCode()));
        continue;
      }
      out.add(
          new NewInvoice.Line(
              l.description() != null ? l.description() : old.description(),
              l.quantity() != null ? l.quantity() : old.quantity(),
              l.unitAmount() != null ? l.unitAmount() : old.unitAmount(),
              l.accountCode() != null ? l.accountCode() : old.accountCode(),
              l.taxType() != null ? l.taxType() : old.taxType(),
              old.lineItemId(),
              l.discountRate() != null ? l.discountRate() : old.discountRate(),
              l.itemCode() != null ? l.itemCode() : old.itemCode()));
    }
    return out;
  }

  /** As merging contacts in Xero: the merged contact's invoices move to the kept one. */
  void moveToContact(String mergedId, String keptId, Instant now) {
    for (Invoice inv : List.copyOf(invoices.values())) {
      if (inv.contactId().equals(mergedId)) {
        invoices.put(inv.invoiceId(), inv.withContact(keptId, now));
        org.changed("INVOICE", "UPDATE", inv.invoiceId(), now);
      }
    }
  }

  /** Bulk load without validation or webhooks (see Ledger.load). */
  void load(List<Invoice> newInvoices) {
    for (Invoice i : newInvoices) {
      invoices.put(i.invoiceId(), i);
      if (!i.invoiceNumber().isEmpty()) {
        invoiceIdByNumber.put(i.invoiceNumber(), i.invoiceId());
      }
    }
  }
}
