package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One Xero organisation's books: contacts, invoices, payments, credits and their allocations. Every
 * mutation runs under the ledger's monitor, stamps UpdatedDateUTC from the simulator clock and
 * reports the change so webhooks follow. No HTTP here: handlers and the scripting API both call in.
 */
public final class Ledger {
  private static final Map<String, BigDecimal> TAX_RATES =
      Map.of(
          "OUTPUT2",
          new BigDecimal("0.15"),
          "INPUT2",
          new BigDecimal("0.15"),
          "NONE",
          BigDecimal.ZERO,
          "EXEMPTOUTPUT",
          BigDecimal.ZERO,
          "EXEMPTINPUT",
          BigDecimal.ZERO,
          "ZERORATEDOUTPUT",
          BigDecimal.ZERO,
          "ZERORATEDINPUT",
          BigDecimal.ZERO);

  private final String tenantId;
  private final String shortCode;
  private final Instant createdDateUtc;
  private final Clock clock;
  private final ChangeListener listener;
  private volatile String name;
  private volatile ZoneId timezone = ZoneId.of("Pacific/Auckland");
  private volatile String baseCurrency = "NZD";
  private volatile String countryCode = "NZ";

  private final Map<String, Contact> contacts = new LinkedHashMap<>();
  private final Map<String, Invoice> invoices = new LinkedHashMap<>();
  private final Map<String, String> invoiceIdByNumber = new HashMap<>();
  private final Map<String, Payment> payments = new LinkedHashMap<>();
  private final Map<String, List<String>> paymentIdsByInvoice = new HashMap<>();
  private final Map<String, Credit> credits = new LinkedHashMap<>();
  private final Map<String, List<Allocation>> allocationsByInvoice = new HashMap<>();
  private final Map<String, List<Allocation>> allocationsByCredit = new HashMap<>();
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private int invoiceSeq;
  private int creditNoteSeq;

  public Ledger(
      String tenantId, String name, String shortCode, Clock clock, ChangeListener listener) {
    this.tenantId = tenantId;
    this.name = name;
    this.shortCode = shortCode;
    this.clock = clock;
    this.listener = listener;
    this.createdDateUtc = clock.instant();
    seedChartOfAccounts();
  }

  private void seedChartOfAccounts() {
    // A small slice of Xero's default NZ chart: enough for sales, receipts and payments.
    addAccount("090", "Business Bank Account", "BANK", "NONE", false, "10-9999-0000001-00");
    addAccount("091", "Business Savings Account", "BANK", "NONE", false, "10-9999-0000002-00");
    addAccount("200", "Sales", "REVENUE", "OUTPUT2", false, null);
    addAccount("260", "Other Revenue", "REVENUE", "OUTPUT2", false, null);
    addAccount("400", "Advertising", "EXPENSE", "INPUT2", false, null);
    addAccount("610", "Accounts Receivable", "CURRENT", "NONE", false, null);
    addAccount("800", "Accounts Payable", "CURRLIAB", "NONE", false, null);
    addAccount("820", "GST", "CURRLIAB", "NONE", false, null);
    addAccount("880", "Owner A Drawings", "EQUITY", "NONE", true, null);
  }

  private void addAccount(
      String code, String name, String type, String tax, boolean payments, String bankNo) {
    String id = UUID.randomUUID().toString();
    accounts.put(id, new Account(id, code, name, type, tax, payments, "ACTIVE", bankNo));
  }

  // ---- organisation ----

  public String tenantId() {
    return tenantId;
  }

  public String shortCode() {
    return shortCode;
  }

  public String name() {
    return name;
  }

  public Instant createdDateUtc() {
    return createdDateUtc;
  }

  public ZoneId timezone() {
    return timezone;
  }

  public void timezone(ZoneId z) {
    timezone = Objects.requireNonNull(z);
  }

  public String baseCurrency() {
    return baseCurrency;
  }

  public void baseCurrency(String c) {
    baseCurrency = Objects.requireNonNull(c);
  }

  public String countryCode() {
    return countryCode;
  }

  public void countryCode(String c) {
    countryCode = Objects.requireNonNull(c);
  }

  /** Today in the organisation's timezone: Xero defaults document dates this way. */
  public LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), timezone);
  }

  // ---- reads ----

  public synchronized List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  public synchronized Contact contact(String id) {
    return contacts.get(id);
  }

  public synchronized List<Contact> contacts(Predicate<Contact> filter) {
    return contacts.values().stream().filter(filter).toList();
  }

  public synchronized Invoice invoice(String id) {
    return invoices.get(id);
  }

  public synchronized Invoice invoiceByNumber(String number) {
    String id = invoiceIdByNumber.get(number);
    return id == null ? null : invoices.get(id);
  }

  public synchronized List<Invoice> invoices(Predicate<Invoice> filter) {
    return invoices.values().stream().filter(filter).toList();
  }

  public synchronized int invoiceCount() {
    return invoices.size();
  }

  public synchronized Payment payment(String id) {
    return payments.get(id);
  }

  public synchronized List<Payment> payments(Predicate<Payment> filter) {
    return payments.values().stream().filter(filter).toList();
  }

  public synchronized Credit credit(String id) {
    return credits.get(id);
  }

  public synchronized List<Credit> credits(Predicate<Credit> filter) {
    return credits.values().stream().filter(filter).toList();
  }

  public synchronized List<Allocation> allocationsOfCredit(String creditId) {
    return List.copyOf(allocationsByCredit.getOrDefault(creditId, List.of()));
  }

  public synchronized BigDecimal remainingCredit(String creditId) {
    Credit c = credits.get(creditId);
    return c == null ? BigDecimal.ZERO : c.total().subtract(allocated(creditId));
  }

  public synchronized InvoiceView view(String invoiceId) {
    Invoice inv = invoices.get(invoiceId);
    return inv == null ? null : view(inv);
  }

  public synchronized List<InvoiceView> views(List<Invoice> list) {
    return list.stream().map(this::view).toList();
  }

  private InvoiceView view(Invoice inv) {
    List<Payment> ps =
        paymentIdsByInvoice.getOrDefault(inv.invoiceId(), List.of()).stream()
            .map(payments::get)
            .filter(p -> Payment.AUTHORISED.equals(p.status()))
            .toList();
    List<InvoiceView.AppliedCredit> cs = new ArrayList<>();
    BigDecimal credited = BigDecimal.ZERO;
    for (Allocation a : allocationsByInvoice.getOrDefault(inv.invoiceId(), List.of())) {
      Credit c = credits.get(a.creditId());
      cs.add(
          new InvoiceView.AppliedCredit(
              c, a.amount(), c.total().subtract(allocated(c.creditId()))));
      credited = credited.add(a.amount());
    }
    BigDecimal paid = ps.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal due = inv.total().subtract(paid).subtract(credited);
    if (Invoice.VOIDED.equals(inv.status()) || Invoice.DELETED.equals(inv.status()))
      due = BigDecimal.ZERO;
    return new InvoiceView(
        inv, contacts.get(inv.contactId()), ps, List.copyOf(cs), paid, credited, due);
  }

  private BigDecimal allocated(String creditId) {
    return allocationsByCredit.getOrDefault(creditId, List.of()).stream()
        .map(Allocation::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  // ---- contacts ----

  public synchronized String createContact(String contactName, String email, String clientId) {
    if (contactName == null || contactName.isBlank())
      throw new LedgerException("The contact name must be specified.");
    boolean taken =
        contacts.values().stream().anyMatch(c -> c.name().equalsIgnoreCase(contactName.trim()));
    if (taken)
      throw new LedgerException(
          "The contact name "
              + contactName.trim()
              + " is already assigned to another contact. The contact name must be unique across all active contacts.");
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    contacts.put(
        id,
        new Contact(
            id, contactName.trim(), email, Contact.ACTIVE, false, false, now, now, clientId));
    listener.changed(tenantId, "CONTACT", "CREATE", id, now);
    return id;
  }

  public synchronized void archiveContact(String contactId) {
    Contact c = requireContact(contactId);
    Instant now = clock.instant();
    contacts.put(contactId, c.withStatus(Contact.ARCHIVED, now));
    listener.changed(tenantId, "CONTACT", "UPDATE", contactId, now);
  }

  private Contact requireContact(String id) {
    Contact c = contacts.get(id);
    if (c == null)
      throw new LedgerException("The contact with ContactID " + id + " could not be found.");
    return c;
  }

  // ---- invoices ----

  /**
   * Xero's validation messages for a prospective invoice, without creating it (empty when it would
   * succeed).
   */
  public synchronized List<String> validateInvoice(NewInvoice spec) {
    List<String> errors = new ArrayList<>();
    prepareLines(spec, errors);
    return errors;
  }

  private List<LineItem> prepareLines(NewInvoice spec, List<String> errors) {
    String type = spec.type() == null ? null : spec.type().toUpperCase();
    if (!"ACCREC".equals(type) && !"ACCPAY".equals(type))
      errors.add("Invoice Type must be specified");
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    if (contact == null) errors.add("A Contact must be specified for this type of transaction");
    else if (Contact.ARCHIVED.equals(contact.status()))
      errors.add("The contact " + contact.name() + " has been archived and cannot be used.");
    String status = spec.status() == null ? Invoice.DRAFT : spec.status().toUpperCase();
    if (!List.of(Invoice.DRAFT, Invoice.SUBMITTED, Invoice.AUTHORISED).contains(status)) {
      errors.add(
          "Invoice Status Code must be one of DRAFT, SUBMITTED or AUTHORISED when creating an invoice.");
    }
    String number = spec.invoiceNumber();
    if (number != null && invoiceIdByNumber.containsKey(number) && "ACCREC".equals(type))
      errors.add("Invoice # must be unique.");
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!List.of("Exclusive", "Inclusive", "NoTax").contains(lat))
      errors.add("LineAmountTypes must be Exclusive, Inclusive or NoTax.");
    if (Invoice.AUTHORISED.equals(status) && spec.lines().isEmpty())
      errors.add("Invoice must have at least one line item to be approved.");
    if (Invoice.AUTHORISED.equals(status) && spec.dueDate() == null)
      errors.add("Due Date is required.");
    List<LineItem> lines = new ArrayList<>();
    for (NewInvoice.Line l : spec.lines()) {
      String tax = l.taxType();
      if (tax == null) tax = accountByCode(l.accountCode()).map(Account::taxType).orElse("NONE");
      if ("NoTax".equals(lat)) tax = "NONE";
      if (!TAX_RATES.containsKey(tax)) {
        errors.add(
            "The TaxType code "
                + tax
                + " does not exist or cannot be used for this type of transaction.");
        continue;
      }
      if (l.accountCode() != null && accountByCode(l.accountCode()).isEmpty())
        errors.add("Account code '" + l.accountCode() + "' is not a valid code for this document.");
      lines.add(line(l, tax, lat));
    }
    return lines;
  }

  public synchronized String createInvoice(NewInvoice spec) {
    List<String> errors = new ArrayList<>();
    List<LineItem> lines = prepareLines(spec, errors);
    String type = spec.type() == null ? null : spec.type().toUpperCase();
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    String status = spec.status() == null ? Invoice.DRAFT : spec.status().toUpperCase();
    String number = spec.invoiceNumber();
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!errors.isEmpty()) throw new LedgerException(errors);
    if (number == null || number.isBlank())
      number = "ACCREC".equals(type) ? nextInvoiceNumber() : "";
    Instant now = clock.instant();
    LocalDate date = spec.date() == null ? today() : spec.date();
    BigDecimal tax =
        lines.stream().map(LineItem::taxAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal sum =
        lines.stream().map(LineItem::lineAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal subTotal = "Inclusive".equals(lat) ? sum.subtract(tax) : sum;
    BigDecimal total = subTotal.add(tax);
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
            spec.currencyCode() == null ? baseCurrency : spec.currencyCode(),
            BigDecimal.ONE,
            status,
            scale(subTotal),
            scale(tax),
            scale(total),
            null,
            now,
            now,
            spec.createdByClientId(),
            false);
    invoices.put(id, inv);
    if (!number.isEmpty()) invoiceIdByNumber.put(number, id);
    listener.changed(tenantId, "INVOICE", "CREATE", id, now);
    markContactRole(contact, type, now);
    return id;
  }

  private void markContactRole(Contact c, String invoiceType, Instant now) {
    boolean customer = c.isCustomer() || "ACCREC".equals(invoiceType);
    boolean supplier = c.isSupplier() || "ACCPAY".equals(invoiceType);
    if (customer != c.isCustomer() || supplier != c.isSupplier()) {
      contacts.put(c.contactId(), c.withRoles(customer, supplier, now));
    }
  }

  private LineItem line(NewInvoice.Line l, String taxType, String lat) {
    BigDecimal qty = l.quantity() == null ? BigDecimal.ONE : l.quantity();
    BigDecimal unit = l.unitAmount() == null ? BigDecimal.ZERO : l.unitAmount();
    BigDecimal amount = scale(qty.multiply(unit));
    BigDecimal rate = TAX_RATES.get(taxType);
    BigDecimal tax =
        switch (lat) {
          case "Inclusive" ->
              scale(
                  amount.multiply(rate).divide(BigDecimal.ONE.add(rate), 10, RoundingMode.HALF_UP));
          case "NoTax" -> BigDecimal.ZERO.setScale(2);
          default -> scale(amount.multiply(rate));
        };
    return new LineItem(
        UUID.randomUUID().toString(),
        l.description() == null ? "" : l.description(),
        qty,
        unit,
        l.accountCode(),
        taxType,
        tax,
        amount);
  }

  private java.util.Optional<Account> accountByCode(String code) {
    if (code == null) return java.util.Optional.empty();
    return accounts.values().stream().filter(a -> a.code().equals(code)).findFirst();
  }

  private String nextInvoiceNumber() {
    String n;
    do {
      n = String.format("INV-%04d", ++invoiceSeq);
    } while (invoiceIdByNumber.containsKey(n));
    return n;
  }

  /** Why a status change would be refused (empty when allowed). */
  public synchronized List<String> checkTransition(String invoiceId, String target) {
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) return List.of("Invoice with InvoiceID " + invoiceId + " could not be found.");
    String from = inv.status();
    target = target.toUpperCase();
    if (from.equals(target)) return List.of();
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
        && (from.equals(Invoice.AUTHORISED) || from.equals(Invoice.PAID))) {
      InvoiceView v = view(inv);
      if (!v.payments().isEmpty() || !v.credits().isEmpty()) {
        return List.of(
            "This document cannot be edited as it has a payment or credit note allocated to it.");
      }
    }
    if (!ok) return List.of("Invoice not of valid status for modification");
    if (target.equals(Invoice.AUTHORISED)) {
      if (inv.lineItems().isEmpty())
        return List.of("Invoice must have at least one line item to be approved.");
      if (inv.dueDate() == null) return List.of("Due Date is required.");
    }
    return List.of();
  }

  /**
   * Moves an invoice between user-settable statuses with Xero's rules: DRAFT, SUBMITTED and
   * AUTHORISED move forward (SUBMITTED may go back to DRAFT), DELETED only from DRAFT or SUBMITTED,
   * VOIDED only from AUTHORISED with nothing paid or credited. PAID is reached only through
   * payments and allocations.
   */
  public synchronized void transition(String invoiceId, String target) {
    List<String> errors = checkTransition(invoiceId, target);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Invoice inv = invoices.get(invoiceId);
    target = target.toUpperCase();
    if (inv.status().equals(target)) return;
    Instant now = clock.instant();
    invoices.put(invoiceId, inv.withStatus(target, null, now));
    listener.changed(tenantId, "INVOICE", "UPDATE", invoiceId, now);
  }

  /** Why an edit would be refused (empty when allowed). */
  public synchronized List<String> checkEdit(String invoiceId, InvoiceEdit edit) {
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) return List.of("Invoice with InvoiceID " + invoiceId + " could not be found.");
    if (List.of(Invoice.PAID, Invoice.VOIDED, Invoice.DELETED).contains(inv.status())) {
      return List.of("Invoice not of valid status for modification");
    }
    List<String> errors = new ArrayList<>();
    if (edit.lines() != null || edit.lineAmountTypes() != null) {
      InvoiceView v = view(inv);
      if (!v.payments().isEmpty() || !v.credits().isEmpty()) {
        return List.of(
            "This document cannot be edited as it has a payment or credit note allocated to it.");
      }
      NewInvoice probe =
          new NewInvoice(
              inv.type(),
              inv.contactId(),
              null,
              null,
              inv.date(),
              inv.dueDate(),
              edit.lineAmountTypes() == null ? inv.lineAmountTypes() : edit.lineAmountTypes(),
              edit.lines() == null ? List.of() : edit.lines(),
              null,
              Invoice.DRAFT,
              null);
      prepareLines(probe, errors);
      if (edit.lines() != null && edit.lines().isEmpty() && !Invoice.DRAFT.equals(inv.status())) {
        errors.add("Invoice must have at least one line item to be approved.");
      }
    }
    if (edit.invoiceNumber() != null
        && !edit.invoiceNumber().equals(inv.invoiceNumber())
        && invoiceIdByNumber.containsKey(edit.invoiceNumber())
        && "ACCREC".equals(inv.type())) {
      errors.add("Invoice # must be unique.");
    }
    return errors;
  }

  /**
   * Edits an invoice's header and lines; Xero refuses edits to paid, voided or deleted invoices.
   */
  public synchronized void updateInvoice(String invoiceId, InvoiceEdit edit) {
    List<String> errors = checkEdit(invoiceId, edit);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Invoice inv = invoices.get(invoiceId);
    String lat = edit.lineAmountTypes() == null ? inv.lineAmountTypes() : edit.lineAmountTypes();
    List<LineItem> lines = inv.lineItems();
    BigDecimal subTotal = inv.subTotal(), tax = inv.totalTax(), total = inv.total();
    if (edit.lines() != null || edit.lineAmountTypes() != null) {
      NewInvoice probe =
          new NewInvoice(
              inv.type(),
              inv.contactId(),
              null,
              null,
              inv.date(),
              inv.dueDate(),
              lat,
              edit.lines() != null
                  ? edit.lines()
                  : inv.lineItems().stream()
                      .map(
                          l ->
                              new NewInvoice.Line(
                                  l.description(),
                                  l.quantity(),
                                  l.unitAmount(),
                                  l.accountCode(),
                                  l.taxType()))
                      .toList(),
              null,
              Invoice.DRAFT,
              null);
      lines = List.copyOf(prepareLines(probe, new ArrayList<>()));
      tax = scale(lines.stream().map(LineItem::taxAmount).reduce(BigDecimal.ZERO, BigDecimal::add));
      BigDecimal sum =
          lines.stream().map(LineItem::lineAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
      subTotal = scale("Inclusive".equals(lat) ? sum.subtract(tax) : sum);
      total = subTotal.add(tax);
    }
    String number = edit.invoiceNumber() == null ? inv.invoiceNumber() : edit.invoiceNumber();
    if (!number.equals(inv.invoiceNumber())) {
      invoiceIdByNumber.remove(inv.invoiceNumber());
      invoiceIdByNumber.put(number, invoiceId);
    }
    Instant now = clock.instant();
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
    listener.changed(tenantId, "INVOICE", "UPDATE", invoiceId, now);
  }

  // ---- payments ----

  /** Why a payment would be refused (empty when it would be accepted). */
  public synchronized List<String> checkPayment(
      String invoiceId, String accountId, BigDecimal amount) {
    Invoice inv = invoices.get(invoiceId);
    List<String> errors = new ArrayList<>();
    if (inv == null) return List.of("Invoice could not be found");
    Account acc = accountId == null ? null : accounts.get(accountId);
    if (acc == null) errors.add("Account could not be found");
    else if (!acc.acceptsPayments())
      errors.add(
          "Payments can only be made to BANK accounts or accounts with \"Enable payments to this account\" set.");
    if (!Invoice.AUTHORISED.equals(inv.status()))
      errors.add("Payment can only be made against Authorised documents");
    if (amount == null || amount.signum() <= 0)
      errors.add("Payment amount must be greater than zero");
    else if (errors.isEmpty() && amount.compareTo(view(inv).amountDue()) > 0)
      errors.add("Payment amount exceeds the amount outstanding on this document");
    return errors;
  }

  public synchronized String pay(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    List<String> errors = checkPayment(invoiceId, accountId, amount);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Invoice inv = invoices.get(invoiceId);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    String paymentType = "ACCREC".equals(inv.type()) ? "ACCRECPAYMENT" : "ACCPAYPAYMENT";
    payments.put(
        id,
        new Payment(
            id,
            invoiceId,
            accountId,
            date == null ? today() : date,
            scale(amount),
            reference == null ? "" : reference,
            Payment.AUTHORISED,
            paymentType,
            BigDecimal.ONE,
            now,
            false));
    paymentIdsByInvoice.computeIfAbsent(invoiceId, k -> new ArrayList<>()).add(id);
    settle(invoiceId, now);
    return id;
  }

  public synchronized String defaultBankAccountId() {
    return accounts.values().stream()
        .filter(a -> "BANK".equals(a.type()))
        .findFirst()
        .orElseThrow()
        .accountId();
  }

  public synchronized Account accountByCodeOrId(String code, String id) {
    if (id != null) return accounts.get(id);
    return accountByCode(code).orElse(null);
  }

  public synchronized void reversePayment(String paymentId) {
    Payment p = payments.get(paymentId);
    if (p == null)
      throw new LedgerException("Payment with PaymentID " + paymentId + " could not be found.");
    if (Payment.DELETED.equals(p.status()))
      throw new LedgerException("Payment has already been deleted");
    Instant now = clock.instant();
    payments.put(paymentId, p.deleted(now));
    settle(p.invoiceId(), now);
  }

  // ---- credits ----

  /**
   * Creates an AUTHORISED ACCRECCREDIT (or overpayment/prepayment) for a contact, not yet
   * allocated.
   */
  public synchronized String createCredit(
      Credit.Kind kind, String contactId, BigDecimal amount, LocalDate date, String reference) {
    Contact c = requireContact(contactId);
    if (amount == null || amount.signum() <= 0)
      throw new LedgerException("Amount must be greater than zero");
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    String type =
        switch (kind) {
          case CREDITNOTE -> "ACCRECCREDIT";
          case OVERPAYMENT -> "RECEIVE-OVERPAYMENT";
          case PREPAYMENT -> "RECEIVE-PREPAYMENT";
        };
    String number =
        kind == Credit.Kind.CREDITNOTE ? String.format("CN-%04d", ++creditNoteSeq) : null;
    BigDecimal amt = scale(amount);
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
            date == null ? today() : date,
            "NoTax",
            List.of(line),
            amt,
            BigDecimal.ZERO.setScale(2),
            amt,
            baseCurrency,
            Invoice.AUTHORISED,
            now,
            null));
    return id;
  }

  /** Why an allocation would be refused (empty when allowed). */
  public synchronized List<String> checkAllocation(
      String creditId, String invoiceId, BigDecimal amount) {
    Credit c = credits.get(creditId);
    if (c == null) return List.of("Credit could not be found");
    Invoice inv = invoices.get(invoiceId);
    if (inv == null) return List.of("Invoice could not be found");
    if (!Invoice.AUTHORISED.equals(inv.status()))
      return List.of("Allocations can only be made against Authorised documents");
    if (!c.contactId().equals(inv.contactId()))
      return List.of("The document and the credit must belong to the same contact");
    if (amount == null || amount.signum() <= 0) return List.of("Amount must be greater than zero");
    if (amount.compareTo(c.total().subtract(allocated(creditId))) > 0)
      return List.of("The amount being allocated exceeds the remaining credit");
    if (amount.compareTo(view(inv).amountDue()) > 0)
      return List.of("The amount being allocated exceeds the amount outstanding on the invoice");
    return List.of();
  }

  public synchronized String allocate(
      String creditId, String invoiceId, BigDecimal amount, LocalDate date) {
    List<String> errors = checkAllocation(creditId, invoiceId, amount);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Credit c = credits.get(creditId);
    Instant now = clock.instant();
    Allocation a =
        new Allocation(
            UUID.randomUUID().toString(),
            creditId,
            invoiceId,
            scale(amount),
            date == null ? today() : date);
    allocationsByInvoice.computeIfAbsent(invoiceId, k -> new ArrayList<>()).add(a);
    allocationsByCredit.computeIfAbsent(creditId, k -> new ArrayList<>()).add(a);
    if (c.total().subtract(allocated(creditId)).signum() == 0)
      credits.put(creditId, c.withStatus(Invoice.PAID, a.date(), now));
    settle(invoiceId, now);
    return a.allocationId();
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
      LocalDate on =
          paidOn == null
              ? creditedOn
              : creditedOn == null ? paidOn : (paidOn.isAfter(creditedOn) ? paidOn : creditedOn);
      next = inv.withStatus(Invoice.PAID, on, now);
    } else if (v.amountDue().signum() > 0 && Invoice.PAID.equals(inv.status())) {
      next = inv.withStatus(Invoice.AUTHORISED, null, now);
    } else {
      next = inv.touched(now);
    }
    invoices.put(invoiceId, next);
    listener.changed(tenantId, "INVOICE", "UPDATE", invoiceId, now);
  }

  /**
   * Bulk load of pre-built, mutually consistent records (a generated history): no validation and no
   * webhooks, so large organisations start in seconds. Callers guarantee statuses agree with
   * payments.
   */
  public synchronized void load(
      List<Contact> newContacts, List<Invoice> newInvoices, List<Payment> newPayments) {
    for (Contact c : newContacts) contacts.put(c.contactId(), c);
    for (Invoice i : newInvoices) {
      invoices.put(i.invoiceId(), i);
      if (!i.invoiceNumber().isEmpty()) invoiceIdByNumber.put(i.invoiceNumber(), i.invoiceId());
    }
    for (Payment p : newPayments) {
      payments.put(p.paymentId(), p);
      paymentIdsByInvoice
          .computeIfAbsent(p.invoiceId(), k -> new ArrayList<>(2))
          .add(p.paymentId());
    }
  }

  static BigDecimal scale(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }
}
