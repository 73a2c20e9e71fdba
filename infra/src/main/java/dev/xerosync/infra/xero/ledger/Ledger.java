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
  /** Most a sent Total may differ from the computed one and still be honoured as rounding. */
  public static final BigDecimal MAX_ROUNDING = new BigDecimal("0.10");

  /**
   * Day rates the simulator uses when a foreign-currency document names no CurrencyRate (Xero would
   * take XE.com's): units of the currency per one NZD.
   */
  private static final Map<String, BigDecimal> DAY_RATES =
      Map.of(
          "USD", new BigDecimal("0.600000"),
          "AUD", new BigDecimal("0.920000"),
          "GBP", new BigDecimal("0.480000"),
          "EUR", new BigDecimal("0.550000"));

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
  private final Map<String, BankTransaction> bankTransactions = new LinkedHashMap<>();
  private final Map<String, TaxRate> taxRates = new LinkedHashMap<>();
  private final java.util.Set<String> currencies = new java.util.LinkedHashSet<>();
  private volatile LocalDate periodLockDate;
  private volatile LocalDate endOfYearLockDate;
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
    seedTaxRates();
    currencies.add(baseCurrency);
  }

  private void seedChartOfAccounts() {
    // Xero's default NZ chart (the demo company's codes), plus the clearing account payment
    // platforms post to: a CURRENT asset with payments enabled, "Undeposited Funds".
    bank("090", "Business Bank Account", "10-9999-0000001-00");
    bank("091", "Business Savings Account", "10-9999-0000002-00");
    addAccount("200", "Sales", "REVENUE", "OUTPUT2", false, null, null);
    addAccount("260", "Other Revenue", "REVENUE", "OUTPUT2", false, null, null);
    addAccount("270", "Interest Income", "REVENUE", "NONE", false, null, null);
    addAccount("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2", false, null, null);
    addAccount("400", "Advertising", "EXPENSE", "INPUT2", false, null, null);
    addAccount("404", "Bank Fees", "EXPENSE", "NONE", false, null, null);
    addAccount("429", "General Expenses", "EXPENSE", "INPUT2", false, null, null);
    addAccount("610", "Accounts Receivable", "CURRENT", "NONE", false, null, "DEBTORS");
    addAccount("615", "Undeposited Funds", "CURRENT", "NONE", true, null, null);
    addAccount("620", "Prepayments", "CURRENT", "NONE", false, null, null);
    addAccount("630", "Inventory", "INVENTORY", "NONE", false, null, null);
    addAccount("710", "Office Equipment", "FIXED", "INPUT2", false, null, null);
    addAccount("800", "Accounts Payable", "CURRLIAB", "NONE", false, null, "CREDITORS");
    addAccount("820", "GST", "CURRLIAB", "NONE", false, null, "GST");
    addAccount("840", "Historical Adjustment", "CURRLIAB", "NONE", false, null, "HISTORICAL");
    addAccount("880", "Owner A Drawings", "EQUITY", "NONE", true, null, null);
    addAccount("960", "Retained Earnings", "EQUITY", "NONE", false, null, "RETAINEDEARNINGS");
    Account old =
        addAccount("205", "Sales - Legacy Products", "REVENUE", "OUTPUT2", false, null, null);
    accounts.put(old.accountId(), withStatus(old, Account.ARCHIVED));
  }

  private void bank(String code, String name, String number) {
    addAccount(code, name, "BANK", "NONE", false, number, null);
  }

  private Account addAccount(
      String code,
      String name,
      String type,
      String tax,
      boolean payments,
      String bankNo,
      String system) {
    String id = UUID.randomUUID().toString();
    Account a =
        new Account(id, code, name, type, tax, payments, Account.ACTIVE, bankNo, system, "");
    accounts.put(id, a);
    return a;
  }

  private static Account withStatus(Account a, String status) {
    return new Account(
        a.accountId(),
        a.code(),
        a.name(),
        a.type(),
        a.taxType(),
        a.enablePaymentsToAccount(),
        status,
        a.bankAccountNumber(),
        a.systemAccount(),
        a.description());
  }

  private void seedTaxRates() {
    // NZ's list: GST on Income may not be used on expense accounts, GST on Expenses not on revenue.
    BigDecimal fifteen = new BigDecimal("15.0000"), zero = new BigDecimal("0.0000");
    tax("GST on Income", "OUTPUT2", "OUTPUT", fifteen, true, true, false, true, true);
    tax("GST on Expenses", "INPUT2", "INPUT", fifteen, true, true, true, true, false);
    tax("No GST", "NONE", "NONE", zero, true, true, true, true, true);
    tax("Zero Rated", "ZERORATEDOUTPUT", "OUTPUT", zero, true, true, false, true, true);
    tax("Zero Rated Purchases", "ZERORATEDINPUT", "INPUT", zero, true, true, true, true, false);
    tax("GST Exempt Income", "EXEMPTOUTPUT", "EXEMPTOUTPUT", zero, true, true, false, true, true);
    tax("GST Exempt Expenses", "EXEMPTINPUT", "EXEMPTINPUT", zero, true, true, true, true, false);
    taxRates.put(
        "TAX001",
        new TaxRate(
            "Old GST 12.5%",
            "TAX001",
            TaxRate.ARCHIVED,
            "OUTPUT",
            new BigDecimal("12.5000"),
            true,
            true,
            false,
            true,
            true));
  }

  private void tax(
      String name,
      String type,
      String report,
      BigDecimal rate,
      boolean assets,
      boolean equity,
      boolean expenses,
      boolean liabilities,
      boolean revenue) {
    taxRates.put(
        type,
        new TaxRate(
            name,
            type,
            TaxRate.ACTIVE,
            report,
            rate,
            assets,
            equity,
            expenses,
            liabilities,
            revenue));
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
    synchronized (this) {
      currencies.remove(baseCurrency);
      baseCurrency = Objects.requireNonNull(c);
      currencies.add(c);
    }
  }

  /** The currencies the organisation subscribes to, base currency first. */
  public synchronized List<String> currencies() {
    return List.copyOf(currencies);
  }

  public synchronized void subscribeCurrency(String code) {
    currencies.add(code.toUpperCase(java.util.Locale.ROOT));
  }

  public synchronized List<TaxRate> taxRates() {
    return List.copyOf(taxRates.values());
  }

  public LocalDate periodLockDate() {
    return periodLockDate;
  }

  public LocalDate endOfYearLockDate() {
    return endOfYearLockDate;
  }

  /** Lock dates as set in Xero's advanced settings; null clears one. */
  public void lockDates(LocalDate period, LocalDate endOfYear) {
    periodLockDate = period;
    endOfYearLockDate = endOfYear;
  }

  /**
   * Xero locks documents dated on or before a lock date; the end-of-year date is the stricter, so
   * its message wins.
   */
  public List<String> checkLockDate(LocalDate date) {
    if (date == null) return List.of();
    LocalDate year = endOfYearLockDate, period = periodLockDate;
    if (year != null && !date.isAfter(year))
      return List.of(XeroMessages.beforeEndOfYearLockDate(year));
    if (period != null && !date.isAfter(period))
      return List.of(XeroMessages.beforePeriodLockDate(period));
    return List.of();
  }

  /** Units of currency per one unit of the base currency, for a document that names none. */
  public BigDecimal dayRate(String currency) {
    if (currency == null || currency.equals(baseCurrency)) return BigDecimal.ONE;
    return DAY_RATES.getOrDefault(currency, BigDecimal.ONE);
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
    return c == null ? BigDecimal.ZERO : remaining(c);
  }

  /** What is left of a credit after its allocations and its refunds (payments of the credit). */
  private BigDecimal remaining(Credit c) {
    return c.total().subtract(allocated(c.creditId())).subtract(refunded(c.creditId()));
  }

  private BigDecimal refunded(String creditId) {
    return paymentIdsByInvoice.getOrDefault(creditId, List.of()).stream()
        .map(payments::get)
        .filter(p -> Payment.AUTHORISED.equals(p.status()))
        .map(Payment::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The refunds paid out of a credit (Xero lists them as the credit's Payments), live ones. */
  public synchronized List<Payment> paymentsOfCredit(String creditId) {
    return paymentIdsByInvoice.getOrDefault(creditId, List.of()).stream()
        .map(payments::get)
        .filter(p -> Payment.AUTHORISED.equals(p.status()))
        .toList();
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
      cs.add(new InvoiceView.AppliedCredit(c, a.amount(), remaining(c)));
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
    return createContact(contactName, email, null, clientId);
  }

  /** Why a new contact would be refused (empty when it would be created). */
  public synchronized List<String> checkNewContact(String contactName, String contactNumber) {
    List<String> errors = new ArrayList<>();
    if (contactName == null || contactName.isBlank())
      errors.add(XeroMessages.CONTACT_NAME_REQUIRED);
    else if (activeNameTaken(contactName, null))
      errors.add(XeroMessages.contactNameTaken(contactName.trim()));
    errors.addAll(checkContactNumber(contactNumber, null));
    return errors;
  }

  private boolean activeNameTaken(String contactName, String exceptId) {
    // Archived contacts keep their names without blocking them (Xero: "unique across all active
    // contacts").
    return contacts.values().stream()
        .anyMatch(
            c ->
                Contact.ACTIVE.equals(c.status())
                    && !c.contactId().equals(exceptId)
                    && c.name().equalsIgnoreCase(contactName.trim()));
  }

  private List<String> checkContactNumber(String number, String exceptId) {
    if (number == null || number.isEmpty()) return List.of();
    if (number.length() > Contact.MAX_CONTACT_NUMBER)
      return List.of(XeroMessages.CONTACT_NUMBER_TOO_LONG);
    boolean taken =
        contacts.values().stream()
            .anyMatch(c -> number.equals(c.contactNumber()) && !c.contactId().equals(exceptId));
    return taken ? List.of(XeroMessages.CONTACT_NUMBER_TAKEN) : List.of();
  }

  public synchronized String createContact(
      String contactName, String email, String contactNumber, String clientId) {
    List<String> errors = checkNewContact(contactName, contactNumber);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    contacts.put(
        id,
        new Contact(
            id,
            contactName.trim(),
            email,
            Contact.ACTIVE,
            false,
            false,
            now,
            now,
            clientId,
            contactNumber == null || contactNumber.isEmpty() ? null : contactNumber,
            null));
    listener.changed(tenantId, "CONTACT", "CREATE", id, now);
    return id;
  }

  public synchronized Contact contactByNumber(String number) {
    return contacts.values().stream()
        .filter(c -> number.equals(c.contactNumber()))
        .findFirst()
        .orElse(null);
  }

  /** The active contact with this name (case-insensitive), or null. */
  public synchronized Contact activeContactByName(String contactName) {
    return contacts.values().stream()
        .filter(
            c -> Contact.ACTIVE.equals(c.status()) && c.name().equalsIgnoreCase(contactName.trim()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Why an update would be refused. status is ACTIVE (restore), ARCHIVED or null (unchanged); null
   * fields stay as they are.
   */
  public synchronized List<String> checkContactUpdate(
      String contactId, String newName, String contactNumber, String status) {
    Contact c = contacts.get(contactId);
    if (c == null) return List.of(XeroMessages.contactNotFound(contactId));
    List<String> errors = new ArrayList<>();
    String name = newName == null ? c.name() : newName;
    boolean willBeActive =
        status == null
            ? Contact.ACTIVE.equals(c.status())
            : Contact.ACTIVE.equalsIgnoreCase(status);
    if (newName != null && newName.isBlank()) errors.add(XeroMessages.CONTACT_NAME_REQUIRED);
    else if (willBeActive && activeNameTaken(name, contactId))
      errors.add(XeroMessages.contactNameTaken(name.trim()));
    errors.addAll(checkContactNumber(contactNumber, contactId));
    return errors;
  }

  public synchronized void updateContact(
      String contactId, String newName, String email, String contactNumber, String status) {
    List<String> errors = checkContactUpdate(contactId, newName, contactNumber, status);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Instant now = clock.instant();
    Contact c =
        contacts
            .get(contactId)
            .edited(newName == null ? null : newName.trim(), email, contactNumber, now);
    if (status != null && !status.equalsIgnoreCase(c.status()))
      c = c.withStatus(status.toUpperCase(java.util.Locale.ROOT), now);
    contacts.put(contactId, c);
    listener.changed(tenantId, "CONTACT", "UPDATE", contactId, now);
  }

  /**
   * As merging two contacts in Xero: the merged one's transactions move to the kept one, and the
   * merged one is archived with MergedToContactID naming the kept one.
   */
  public synchronized void mergeContacts(String mergedId, String keptId) {
    Contact merged = requireContact(mergedId);
    requireContact(keptId);
    Instant now = clock.instant();
    for (Invoice inv : List.copyOf(invoices.values())) {
      if (inv.contactId().equals(mergedId)) {
        invoices.put(inv.invoiceId(), inv.withContact(keptId, now));
        listener.changed(tenantId, "INVOICE", "UPDATE", inv.invoiceId(), now);
      }
    }
    contacts.put(mergedId, merged.mergedInto(keptId, now));
    listener.changed(tenantId, "CONTACT", "UPDATE", mergedId, now);
  }

  public synchronized void archiveContact(String contactId) {
    Contact c = requireContact(contactId);
    Instant now = clock.instant();
    contacts.put(contactId, c.withStatus(Contact.ARCHIVED, now));
    listener.changed(tenantId, "CONTACT", "UPDATE", contactId, now);
  }

  /** As "Restore" in Xero's contacts screen; refused while an active contact has its name. */
  public synchronized void restoreContact(String contactId) {
    Contact c = requireContact(contactId);
    if (Contact.ACTIVE.equals(c.status())) return;
    boolean taken =
        contacts.values().stream()
            .anyMatch(
                o -> Contact.ACTIVE.equals(o.status()) && o.name().equalsIgnoreCase(c.name()));
    if (taken) throw new LedgerException(XeroMessages.contactNameTaken(c.name()));
    Instant now = clock.instant();
    contacts.put(contactId, c.withStatus(Contact.ACTIVE, now));
    listener.changed(tenantId, "CONTACT", "UPDATE", contactId, now);
  }

  private Contact requireContact(String id) {
    Contact c = contacts.get(id);
    if (c == null) throw new LedgerException(XeroMessages.contactNotFound(id));
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
      errors.add(XeroMessages.INVOICE_TYPE_REQUIRED);
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    if (contact == null) errors.add(XeroMessages.CONTACT_REQUIRED);
    else if (Contact.ARCHIVED.equals(contact.status())) errors.add(XeroMessages.CONTACT_ARCHIVED);
    String status = spec.status() == null ? Invoice.DRAFT : spec.status().toUpperCase();
    if (!List.of(Invoice.DRAFT, Invoice.SUBMITTED, Invoice.AUTHORISED).contains(status)) {
      errors.add(XeroMessages.STATUS_ON_CREATE);
    }
    String number = spec.invoiceNumber();
    if (number != null && invoiceIdByNumber.containsKey(number) && "ACCREC".equals(type))
      errors.add(XeroMessages.INVOICE_NUMBER_NOT_UNIQUE);
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!List.of("Exclusive", "Inclusive", "NoTax").contains(lat))
      errors.add(XeroMessages.LINE_AMOUNT_TYPES);
    String currency = spec.currencyCode();
    if (currency != null && !currencies.contains(currency))
      errors.add(XeroMessages.currencyNotSubscribed(currency));
    errors.addAll(checkLockDate(spec.date() == null ? today() : spec.date()));
    if (Invoice.AUTHORISED.equals(status) && spec.lines().isEmpty())
      errors.add(XeroMessages.LINE_ITEM_REQUIRED_TO_APPROVE);
    if (Invoice.AUTHORISED.equals(status) && spec.dueDate() == null)
      errors.add(XeroMessages.DUE_DATE_REQUIRED);
    List<LineItem> lines = new ArrayList<>();
    for (NewInvoice.Line l : spec.lines()) {
      LineItem li = prepareLine(l, lat, type, errors);
      if (li != null) lines.add(li);
    }
    if (errors.isEmpty()) errors.addAll(checkSentTotals(spec, lines, lat));
    return lines;
  }

  /**
   * One line's account, tax rate and discount checked as Xero does (messages appended to errors);
   * the computed line when it passes, else null. Discounts apply to ACCREC documents only.
   */
  private LineItem prepareLine(NewInvoice.Line l, String lat, String docType, List<String> errors) {
    int before = errors.size();
    Account account = accountByCode(l.accountCode()).orElse(null);
    if (l.accountCode() != null) {
      // Unsourced split: an unknown code, or one no sales/purchase line may use (a bank
      // account), is "not a valid code"; an archived one is "Account must be valid.".
      if (account == null || "BANK".equals(account.type()))
        errors.add(XeroMessages.accountCodeNotValid(l.accountCode()));
      else if (!account.active()) errors.add(XeroMessages.ACCOUNT_MUST_BE_VALID);
    }
    String tax = l.taxType();
    if (tax == null) tax = account == null ? "NONE" : account.taxType();
    if ("NoTax".equals(lat)) tax = "NONE";
    TaxRate rate = taxRates.get(tax);
    if (rate == null) errors.add(XeroMessages.taxTypeDoesNotExist(tax));
    else if (!TaxRate.ACTIVE.equals(rate.status())) errors.add(XeroMessages.TAX_RATE_MUST_BE_VALID);
    else if (account != null
        && account.active()
        && !"BANK".equals(account.type())
        && !rate.canApplyTo(account.accountClass()))
      errors.add(XeroMessages.taxTypeNotForAccount(tax, l.accountCode()));
    BigDecimal discount = l.discountRate();
    if (discount != null && discount.signum() != 0) {
      if (!"ACCREC".equals(docType)) errors.add(XeroMessages.DISCOUNT_SALES_ONLY);
      else if (discount.signum() < 0 || discount.compareTo(new BigDecimal(100)) > 0)
        errors.add(XeroMessages.DISCOUNT_TOO_LARGE);
    }
    return errors.size() == before ? line(l, tax, lat) : null;
  }

  private record Totals(BigDecimal subTotal, BigDecimal tax, BigDecimal total) {}

  /** Xero's arithmetic: each line's tax rounded to 2 dp, then summed. */
  private static Totals totals(List<LineItem> lines, String lat) {
    BigDecimal tax =
        scale(lines.stream().map(LineItem::taxAmount).reduce(BigDecimal.ZERO, BigDecimal::add));
    BigDecimal sum =
        lines.stream().map(LineItem::lineAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal subTotal = scale("Inclusive".equals(lat) ? sum.subtract(tax) : sum);
    return new Totals(subTotal, tax, subTotal.add(tax));
  }

  /**
   * When SubTotal, TotalTax and Total are all sent, Xero keeps the sent Total if it is within 0.10
   * of its own (the difference is a rounding adjustment). Beyond that the document is refused:
   * wording unsourced.
   */
  private static List<String> checkSentTotals(NewInvoice spec, List<LineItem> lines, String lat) {
    if (spec.sentSubTotal() == null || spec.sentTotalTax() == null || spec.sentTotal() == null)
      return List.of();
    Totals t = totals(lines, lat);
    if (spec.sentTotal().subtract(t.total()).abs().compareTo(MAX_ROUNDING) > 0)
      return List.of(XeroMessages.totalMismatch("Total"));
    return List.of();
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
    Totals t = totals(lines, lat);
    BigDecimal subTotal = t.subTotal(), tax = t.tax(), total = t.total();
    if (spec.sentSubTotal() != null && spec.sentTotalTax() != null && spec.sentTotal() != null) {
      // Honoured within MAX_ROUNDING: the difference is Xero's rounding adjustment.
      total = scale(spec.sentTotal());
    }
    String currency = spec.currencyCode() == null ? baseCurrency : spec.currencyCode();
    BigDecimal rate = spec.currencyRate() != null ? spec.currencyRate() : dayRate(currency);
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
    BigDecimal gross = qty.multiply(unit);
    BigDecimal discount = l.discountRate();
    if (discount != null && discount.signum() != 0)
      gross = gross.multiply(new BigDecimal(100).subtract(discount)).movePointLeft(2);
    BigDecimal amount = scale(gross);
    BigDecimal rate = taxRates.get(taxType).fraction();
    BigDecimal tax =
        switch (lat) {
          case "Inclusive" ->
              scale(
                  amount.multiply(rate).divide(BigDecimal.ONE.add(rate), 10, RoundingMode.HALF_UP));
          case "NoTax" -> BigDecimal.ZERO.setScale(2);
          default -> scale(amount.multiply(rate));
        };
    return new LineItem(
        l.lineItemId() == null ? UUID.randomUUID().toString() : l.lineItemId(),
        l.description() == null ? "" : l.description(),
        qty,
        unit,
        l.accountCode(),
        taxType,
        tax,
        amount,
        discount,
        l.itemCode());
  }

  public synchronized java.util.Optional<Account> accountByCode(String code) {
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
    if (inv == null) return List.of(XeroMessages.invoiceNotFound(invoiceId));
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
        return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE, XeroMessages.HAS_PAYMENT_OR_CREDIT);
      }
    }
    if (!ok) return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE);
    if (target.equals(Invoice.AUTHORISED)) {
      if (inv.lineItems().isEmpty()) return List.of(XeroMessages.LINE_ITEM_REQUIRED_TO_APPROVE);
      if (inv.dueDate() == null) return List.of(XeroMessages.DUE_DATE_REQUIRED);
    }
    if (target.equals(Invoice.AUTHORISED) || target.equals(Invoice.VOIDED))
      return checkLockDate(inv.date());
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
    if (inv == null) return List.of(XeroMessages.invoiceNotFound(invoiceId));
    if (List.of(Invoice.PAID, Invoice.VOIDED, Invoice.DELETED).contains(inv.status())) {
      return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE);
    }
    List<String> errors = new ArrayList<>(checkLockDate(inv.date()));
    if (edit.date() != null && errors.isEmpty()) errors.addAll(checkLockDate(edit.date()));
    if (!errors.isEmpty()) return errors;
    if (edit.lines() != null || edit.lineAmountTypes() != null) {
      InvoiceView v = view(inv);
      if (!v.payments().isEmpty() || !v.credits().isEmpty()) {
        return List.of(XeroMessages.INVOICE_NOT_MODIFIABLE, XeroMessages.HAS_PAYMENT_OR_CREDIT);
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
              edit.lines() == null ? List.of() : mergeLines(inv, edit.lines()),
              null,
              Invoice.DRAFT,
              null);
      prepareLines(probe, errors);
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
                  ? mergeLines(inv, edit.lines())
                  : inv.lineItems().stream().map(Ledger::asRequested).toList(),
              null,
              Invoice.DRAFT,
              null);
      lines = List.copyOf(prepareLines(probe, new ArrayList<>()));
      Totals t = totals(lines, lat);
      subTotal = t.subTotal();
      tax = t.tax();
      total = t.total();
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
    for (LineItem l : inv.lineItems()) existing.put(l.lineItemId(), l);
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

  // ---- payments ----

  /** Why a payment would be refused (empty when it would be accepted). */
  public synchronized List<String> checkPayment(
      String invoiceId, String accountId, BigDecimal amount) {
    return checkPayment(invoiceId, accountId, amount, null);
  }

  /**
   * Why a payment would be refused (empty when accepted): an AUTHORISED document, an active account
   * that is BANK or has payments enabled, a positive amount no larger than what is due, a date
   * after the lock dates.
   */
  public synchronized List<String> checkPayment(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date) {
    Invoice inv = invoices.get(invoiceId);
    List<String> errors = new ArrayList<>();
    if (inv == null) return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
    Account acc = accountId == null ? null : accounts.get(accountId);
    if (acc == null) errors.add(XeroMessages.ACCOUNT_NOT_FOUND);
    else if (!acc.active()) errors.add(XeroMessages.ACCOUNT_MUST_BE_VALID);
    else if (!acc.acceptsPayments()) errors.add(XeroMessages.PAYMENT_ACCOUNT_TYPE);
    if (!Invoice.AUTHORISED.equals(inv.status())) errors.add(XeroMessages.PAYMENT_NOT_AUTHORISED);
    if (amount == null || amount.signum() <= 0) errors.add(XeroMessages.PAYMENT_AMOUNT_POSITIVE);
    else if (errors.isEmpty() && amount.compareTo(view(inv).amountDue()) > 0)
      errors.add(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    errors.addAll(checkLockDate(date == null ? today() : date));
    return errors;
  }

  public synchronized String pay(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    List<String> errors = checkPayment(invoiceId, accountId, amount, date);
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
            inv.currencyRate(),
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
    if (credits.containsKey(p.invoiceId())) settleCredit(p.invoiceId(), now);
    else settle(p.invoiceId(), now);
  }

  // ---- bank transactions ----

  public synchronized BankTransaction bankTransaction(String id) {
    return bankTransactions.get(id);
  }

  public synchronized List<BankTransaction> bankTransactions(Predicate<BankTransaction> filter) {
    return bankTransactions.values().stream().filter(filter).toList();
  }

  /** Why a bank transaction would be refused (empty when it would be saved). */
  public synchronized List<String> checkBankTransaction(BankTransaction.New spec) {
    List<String> errors = new ArrayList<>();
    prepareBankTransaction(spec, errors);
    return errors;
  }

  private List<LineItem> prepareBankTransaction(BankTransaction.New spec, List<String> errors) {
    String type = spec.type() == null ? "" : spec.type().toUpperCase(java.util.Locale.ROOT);
    if (!BankTransaction.TYPES.contains(type))
      errors.add(XeroMessages.bankTransactionType(spec.type()));
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    if (contact == null) errors.add(XeroMessages.CONTACT_REQUIRED);
    else if (Contact.ARCHIVED.equals(contact.status())) errors.add(XeroMessages.CONTACT_ARCHIVED);
    Account bank = spec.bankAccountId() == null ? null : accounts.get(spec.bankAccountId());
    if (bank == null || !"BANK".equals(bank.type()) || !bank.active())
      errors.add(XeroMessages.BANK_ACCOUNT_REQUIRED);
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!List.of("Exclusive", "Inclusive", "NoTax").contains(lat))
      errors.add(XeroMessages.LINE_AMOUNT_TYPES);
    if (spec.currencyCode() != null && !currencies.contains(spec.currencyCode()))
      errors.add(XeroMessages.currencyNotSubscribed(spec.currencyCode()));
    errors.addAll(checkLockDate(spec.date() == null ? today() : spec.date()));
    if (spec.lines().isEmpty()) errors.add(XeroMessages.LINE_ITEM_REQUIRED);
    List<LineItem> lines = new ArrayList<>();
    for (NewInvoice.Line l : spec.lines()) {
      LineItem li = prepareLine(l, lat, type, errors);
      if (li != null) lines.add(li);
    }
    return lines;
  }

  /**
   * Saves a RECEIVE or SPEND bank transaction; RECEIVE-OVERPAYMENT and RECEIVE-PREPAYMENT also
   * create the overpayment or prepayment for its total, unallocated.
   */
  public synchronized String createBankTransaction(BankTransaction.New spec) {
    List<String> errors = new ArrayList<>();
    List<LineItem> lines = prepareBankTransaction(spec, errors);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    String type = spec.type().toUpperCase(java.util.Locale.ROOT);
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    Totals t = totals(lines, lat);
    LocalDate date = spec.date() == null ? today() : spec.date();
    String reference = spec.reference() == null ? "" : spec.reference();
    String creditId =
        switch (type) {
          case "RECEIVE-OVERPAYMENT" ->
              createCredit(Credit.Kind.OVERPAYMENT, spec.contactId(), t.total(), date, reference);
          case "RECEIVE-PREPAYMENT" ->
              createCredit(Credit.Kind.PREPAYMENT, spec.contactId(), t.total(), date, reference);
          default -> null;
        };
    String currency = spec.currencyCode() == null ? baseCurrency : spec.currencyCode();
    String id = UUID.randomUUID().toString();
    bankTransactions.put(
        id,
        new BankTransaction(
            id,
            type,
            spec.contactId(),
            spec.bankAccountId(),
            date,
            reference,
            lat,
            List.copyOf(lines),
            t.subTotal(),
            t.tax(),
            t.total(),
            currency,
            spec.currencyRate() != null ? spec.currencyRate() : dayRate(currency),
            BankTransaction.AUTHORISED,
            creditId,
            clock.instant()));
    return id;
  }

  public synchronized void deleteBankTransaction(String id) {
    BankTransaction b = bankTransactions.get(id);
    if (b == null) throw new LedgerException(XeroMessages.bankTransactionNotFound(id));
    bankTransactions.put(id, b.deleted(clock.instant()));
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
    creditChanged(credits.get(id), "CREATE", now);
    return id;
  }

  /** Xero raises CREDITNOTE events for credit notes; overpayments and prepayments have none. */
  private void creditChanged(Credit c, String eventType, Instant at) {
    if (c.kind() == Credit.Kind.CREDITNOTE)
      listener.changed(tenantId, "CREDITNOTE", eventType, c.creditId(), at);
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
      if (on == null || (refundedOn != null && refundedOn.isAfter(on))) on = refundedOn;
      next = c.withStatus(Invoice.PAID, on, now);
    } else {
      next = c.withStatus(Invoice.AUTHORISED, null, now);
    }
    credits.put(creditId, next);
    creditChanged(next, "UPDATE", now);
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
    if (amount.compareTo(remaining(c)) > 0)
      return List.of("The amount being allocated exceeds the remaining credit");
    if (amount.compareTo(view(inv).amountDue()) > 0)
      return List.of("The amount being allocated exceeds the amount outstanding on the invoice");
    return List.of();
  }

  /**
   * Applies credit to an invoice. The allocation's Date is read-only in Xero: it is the later of
   * the invoice's date and the credit's date, whatever the request sent (Xero's Overpayments
   * documentation), so {@code ignoredDate} is accepted and ignored.
   */
  public synchronized String allocate(
      String creditId, String invoiceId, BigDecimal amount, LocalDate ignoredDate) {
    List<String> errors = checkAllocation(creditId, invoiceId, amount);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Credit c = credits.get(creditId);
    Invoice inv = invoices.get(invoiceId);
    Instant now = clock.instant();
    LocalDate on = inv.date() == null || c.date().isAfter(inv.date()) ? c.date() : inv.date();
    Allocation a =
        new Allocation(UUID.randomUUID().toString(), creditId, invoiceId, scale(amount), on);
    allocationsByInvoice.computeIfAbsent(invoiceId, k -> new ArrayList<>()).add(a);
    allocationsByCredit.computeIfAbsent(creditId, k -> new ArrayList<>()).add(a);
    settleCredit(creditId, now);
    settle(invoiceId, now);
    return a.allocationId();
  }

  public synchronized Allocation allocation(String creditId, String allocationId) {
    return allocationsByCredit.getOrDefault(creditId, List.of()).stream()
        .filter(a -> a.allocationId().equalsIgnoreCase(allocationId))
        .findFirst()
        .orElse(null);
  }

  /**
   * Deletes an allocation: the credit gets the amount back and the invoice owes it again (a PAID
   * invoice reopens as AUTHORISED). Returns the allocation removed.
   */
  public synchronized Allocation deallocate(String creditId, String allocationId) {
    Allocation a = allocation(creditId, allocationId);
    if (a == null) throw new LedgerException(XeroMessages.allocationNotFound(allocationId));
    Invoice inv = invoices.get(a.invoiceId());
    List<String> locked = checkLockDate(a.date());
    if (!locked.isEmpty()) throw new LedgerException(locked);
    if (Invoice.VOIDED.equals(inv.status()) || Invoice.DELETED.equals(inv.status()))
      throw new LedgerException(XeroMessages.ALLOCATION_INVOICE_VOIDED);
    Instant now = clock.instant();
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
  public synchronized String refundCredit(
      String creditId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    List<String> errors = checkRefund(creditId, accountId, amount, date);
    if (!errors.isEmpty()) throw new LedgerException(errors);
    Credit c = credits.get(creditId);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    payments.put(
        id,
        new Payment(
            id,
            creditId,
            accountId,
            date == null ? today() : date,
            scale(amount),
            reference == null ? "" : reference,
            Payment.AUTHORISED,
            c.paymentType(),
            BigDecimal.ONE.setScale(6),
            now,
            false));
    paymentIdsByInvoice.computeIfAbsent(creditId, k -> new ArrayList<>()).add(id);
    settleCredit(creditId, now);
    return id;
  }

  /** Why a refund of a credit would be refused (empty when it would be paid), as for payments. */
  public synchronized List<String> checkRefund(
      String creditId, String accountId, BigDecimal amount, LocalDate date) {
    Credit c = credits.get(creditId);
    if (c == null) return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
    List<String> errors = new ArrayList<>();
    Account acc = accountId == null ? null : accounts.get(accountId);
    if (acc == null) errors.add(XeroMessages.ACCOUNT_NOT_FOUND);
    else if (!acc.acceptsPayments()) errors.add(XeroMessages.PAYMENT_ACCOUNT_TYPE);
    if (!Invoice.AUTHORISED.equals(c.status())) errors.add(XeroMessages.PAYMENT_NOT_AUTHORISED);
    if (amount == null || amount.signum() <= 0) errors.add(XeroMessages.PAYMENT_AMOUNT_POSITIVE);
    else if (amount.compareTo(remaining(c)) > 0)
      errors.add(XeroMessages.PAYMENT_EXCEEDS_OUTSTANDING);
    errors.addAll(checkLockDate(date == null ? today() : date));
    return errors;
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
