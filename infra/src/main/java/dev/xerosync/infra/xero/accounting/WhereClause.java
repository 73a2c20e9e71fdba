package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The common subset of Xero's where filter (a .NET Dynamic LINQ expression): comparisons of a field
 * to a string, guid("..."), number, true/false or DateTime(y,m,d), combined with AND/&& and OR/||
 * (AND binds tighter; no parentheses). Anything else is refused the way Xero refuses an unparsable
 * filter.
 */
public final class WhereClause {
  private static final Pattern TERM =
      Pattern.compile(
          "\\s*([A-Za-z.]+)\\s*(==|!=|>=|<=|>|<)\\s*(\"[^\"]*\"|guid\\(\"[^\"]*\"\\)|DateTime\\(\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*\\)|-?[0-9.]+|true|false)\\s*",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern DATE =
      Pattern.compile(
          "DateTime\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);

  private record Term(String field, String op, Object value) {}

  private final List<List<Term>> disjunction;

  private WhereClause(List<List<Term>> d) {
    this.disjunction = d;
  }

  public static WhereClause parse(String expr) {
    List<List<Term>> or = new ArrayList<>();
    for (String conj : expr.split("(?i)\\s+OR\\s+|\\|\\|")) {
      List<Term> and = new ArrayList<>();
      for (String t : conj.split("(?i)\\s+AND\\s+|&&")) {
        Matcher m = TERM.matcher(t);
        if (!m.matches()) {
          throw new ListQuery.BadQuery(
              "Operator or expression expected in where: '" + t.trim() + "'");
        }
        and.add(new Term(m.group(1), m.group(2), literal(m.group(3))));
      }
      or.add(and);
    }
    return new WhereClause(or);
  }

  private static Object literal(String s) {
    if (s.startsWith("\"")) {
      return s.substring(1, s.length() - 1);
    }
    if (s.regionMatches(true, 0, "guid(", 0, 5)) {
      return s.substring(6, s.length() - 2).toLowerCase(Locale.ROOT);
    }
    Matcher d = DATE.matcher(s);
    if (d.matches()) {
      return LocalDate.of(
          Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)));
    }
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    return new BigDecimal(s);
  }

  public Predicate<Invoice> forInvoices(Ledger ledger) {
    return build(field -> invoiceField(field, ledger));
  }

  public Predicate<dev.xerosync.infra.xero.ledger.Payment> forPayments() {
    return build(
        f ->
            switch (f) {
              case "status" -> p -> p.status();
              case "reference" -> p -> p.reference();
              case "paymentid" -> p -> p.paymentId();
              case "invoice.invoiceid" -> p -> p.invoiceId();
              case "amount" -> p -> p.amount();
              case "date" -> p -> p.date();
              default ->
                  throw new ListQuery.BadQuery(
                      "No property or field '" + f + "' exists in type 'Payment'");
            });
  }

  public Predicate<dev.xerosync.infra.xero.ledger.BankTransaction> forBankTransactions() {
    return build(
        f ->
            switch (f) {
              case "status" -> b -> b.status();
              case "type" -> b -> b.type();
              case "reference" -> b -> b.reference();
              case "banktransactionid" -> b -> b.bankTransactionId();
              case "contact.contactid" -> b -> b.contactId();
              case "total" -> b -> b.total();
              case "date" -> b -> b.date();
              default ->
                  throw new ListQuery.BadQuery(
                      "No property or field '" + f + "' exists in type 'BankTransaction'");
            });
  }

  public Predicate<Contact> forContacts() {
    return build(WhereClause::contactField);
  }

  private <T> Predicate<T> build(Function<String, Function<T, Object>> fields) {
    Predicate<T> any = t -> false;
    for (List<Term> conj : disjunction) {
      Predicate<T> all = t -> true;
      for (Term term : conj) {
        Function<T, Object> get = fields.apply(term.field().toLowerCase(Locale.ROOT));
        all = all.and(t -> compare(get.apply(t), term.op(), term.value()));
      }
      any = any.or(all);
    }
    return any;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean compare(Object actual, String op, Object expected) {
    if (actual == null) {
      return op.equals("!=") && expected != null;
    }
    int c;
    if (actual instanceof BigDecimal a && expected instanceof BigDecimal e) {
      c = a.compareTo(e);
    } else if (actual instanceof String a && expected instanceof String e) {
      c = a.compareTo(e);
    } else if (actual instanceof Comparable a && actual.getClass() == expected.getClass()) {
      c = a.compareTo(expected);
    } else {
      throw new ListQuery.BadQuery("Operator '" + op + "' incompatible with operand types");
    }
    return switch (op) {
      case "==" -> c == 0;
      case "!=" -> c != 0;
      case ">" -> c > 0;
      case "<" -> c < 0;
      case ">=" -> c >= 0;
      default -> c <= 0;
    };
  }

  private static Function<Invoice, Object> invoiceField(String f, Ledger ledger) {
    return switch (f) {
      case "status" -> Invoice::status;
      case "type" -> Invoice::type;
      case "invoicenumber" -> Invoice::invoiceNumber;
      case "reference" -> Invoice::reference;
      case "invoiceid" -> Invoice::invoiceId;
      case "contact.contactid" -> Invoice::contactId;
      case "contact.name" -> i -> ledger.contact(i.contactId()).name();
      case "date" -> Invoice::date;
      case "duedate" -> Invoice::dueDate;
      case "total" -> Invoice::total;
      case "subtotal" -> Invoice::subTotal;
      case "currencycode" -> Invoice::currencyCode;
      case "amountdue" -> i -> ledger.view(i.invoiceId()).amountDue();
      case "amountpaid" -> i -> ledger.view(i.invoiceId()).amountPaid();
      default ->
          throw new ListQuery.BadQuery("No property or field '" + f + "' exists in type 'Invoice'");
    };
  }

  private static Function<Contact, Object> contactField(String f) {
    return switch (f) {
      case "name" -> Contact::name;
      case "contactid" -> Contact::contactId;
      case "contactstatus" -> Contact::status;
      case "contactnumber" -> Contact::contactNumber;
      case "emailaddress" -> Contact::emailAddress;
      case "iscustomer" -> Contact::isCustomer;
      case "issupplier" -> Contact::isSupplier;
      default ->
          throw new ListQuery.BadQuery("No property or field '" + f + "' exists in type 'Contact'");
    };
  }
}
