package dev.xerosync.infra.xero.ledger;

import dev.xerosync.infra.xero.ledger.InvoiceArithmetic.Totals;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Stand-alone RECEIVE and SPEND bank transactions, and the receipts that create overpayments and
 * prepayments. Guarded by the ledger's monitor.
 */
final class BankTransactions {
  private final Organisation org;
  private final ChartOfAccounts chart;
  private final Contacts contacts;
  private final LineRules lineRules;
  private final Settlement settlement;
  private final Map<String, BankTransaction> bankTransactions = new LinkedHashMap<>();

  BankTransactions(
      Organisation org,
      ChartOfAccounts chart,
      Contacts contacts,
      LineRules lineRules,
      Settlement settlement) {
    this.org = org;
    this.chart = chart;
    this.contacts = contacts;
    this.lineRules = lineRules;
    this.settlement = settlement;
  }

  BankTransaction get(String id) {
    return bankTransactions.get(id);
  }

  List<BankTransaction> list(Predicate<BankTransaction> filter) {
    return bankTransactions.values().stream().filter(filter).toList();
  }

  /** Why a bank transaction would be refused (empty when it would be saved). */
  List<String> check(BankTransaction.New spec) {
    List<String> errors = new ArrayList<>();
    prepare(spec, errors);
    return errors;
  }

  private List<LineItem> prepare(BankTransaction.New spec, List<String> errors) {
    String type = spec.type() == null ? "" : spec.type().toUpperCase(Locale.ROOT);
    if (!BankTransaction.TYPES.contains(type)) {
      errors.add(XeroMessages.bankTransactionType(spec.type()));
    }
    Contact contact = spec.contactId() == null ? null : contacts.get(spec.contactId());
    if (contact == null) {
      errors.add(XeroMessages.CONTACT_REQUIRED);
    } else if (Contact.ARCHIVED.equals(contact.status())) {
      errors.add(XeroMessages.CONTACT_ARCHIVED);
    }
    Account bank = spec.bankAccountId() == null ? null : chart.account(spec.bankAccountId());
    if (bank == null || !"BANK".equals(bank.type()) || !bank.active()) {
      errors.add(XeroMessages.BANK_ACCOUNT_REQUIRED);
    }
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    if (!LineRules.LINE_AMOUNT_TYPES.contains(lat)) {
      errors.add(XeroMessages.LINE_AMOUNT_TYPES);
    }
    if (spec.currencyCode() != null && !org.subscribes(spec.currencyCode())) {
      errors.add(XeroMessages.currencyNotSubscribed(spec.currencyCode()));
    }
    errors.addAll(org.checkLockDate(org.dateOrToday(spec.date())));
    if (spec.lines().isEmpty()) {
      errors.add(XeroMessages.LINE_ITEM_REQUIRED);
    }
    List<LineItem> lines = new ArrayList<>();
    for (NewInvoice.Line l : spec.lines()) {
      LineItem li = lineRules.prepare(l, lat, type, errors);
      if (li != null) {
        lines.add(li);
      }
    }
    return lines;
  }

  /**
   * Saves a RECEIVE or SPEND bank transaction; RECEIVE-OVERPAYMENT and RECEIVE-PREPAYMENT also
   * create the overpayment or prepayment for its total, unallocated.
   */
  String create(BankTransaction.New spec) {
    List<String> errors = new ArrayList<>();
    List<LineItem> lines = prepare(spec, errors);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    String type = spec.type().toUpperCase(Locale.ROOT);
    String lat = spec.lineAmountTypes() == null ? "Exclusive" : spec.lineAmountTypes();
    Totals t = InvoiceArithmetic.totals(lines, lat);
    LocalDate date = org.dateOrToday(spec.date());
    String reference = spec.reference() == null ? "" : spec.reference();
    String creditId =
        switch (type) {
          case "RECEIVE-OVERPAYMENT" ->
              settlement.createCredit(
                  Credit.Kind.OVERPAYMENT, spec.contactId(), t.total(), date, reference);
          case "RECEIVE-PREPAYMENT" ->
              settlement.createCredit(
                  Credit.Kind.PREPAYMENT, spec.contactId(), t.total(), date, reference);
          default -> null;
        };
    String currency = spec.currencyCode() == null ? org.baseCurrency() : spec.currencyCode();
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
            spec.currencyRate() != null ? spec.currencyRate() : org.dayRate(currency),
            BankTransaction.AUTHORISED,
            creditId,
            org.now()));
    return id;
  }

  void delete(String id) {
    BankTransaction b = bankTransactions.get(id);
    if (b == null) {
      throw new LedgerException(XeroMessages.bankTransactionNotFound(id));
    }
    bankTransactions.put(id, b.deleted(org.now()));
  }
}
