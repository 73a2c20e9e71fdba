package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroEndpoint;
import dev.xerosync.xero.XeroWrites;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Xero organisation in memory, for the write path's unit tests: invoices, contacts, payments and
 * bank transactions, with the lookups the outbox reconciles by. A fault set for the next request
 * makes Xero save and then lose the answer, time out after saving, fail with a 5xx (before or after
 * saving), or turn the request away with a 429. It ignores Idempotency-Key on purpose: only the
 * outbox's own reconciliation may keep a write from being saved twice. {@link #saved} counts every
 * element Xero saved.
 */
final class FakeXero implements XeroEndpoint {
  /** What happens to one request. */
  enum Fault {
    /** Saved, then the answer was lost (a 200 whose body never arrived whole). */
    LOST_ANSWER(true, 502),
    /** Saved, then the connection timed out before the answer. */
    TIMEOUT_AFTER_COMMIT(true, 0),
    /** Saved, then a 5xx from in front of Xero. */
    SERVER_ERROR_AFTER_COMMIT(true, 503),
    /** A 5xx before anything was saved. */
    SERVER_ERROR(false, 500),
    /** A 429 with Retry-After: turned away before anything was done. */
    RATE_LIMITED(false, 429),
    /** A 401: the token expired; nothing was done. */
    TOKEN_EXPIRED(false, 401),
    /** Saved, then the worker died (Lambda timed out) before it heard or recorded anything. */
    WORKER_DIES_AFTER_COMMIT(true, -1);

    final boolean commits;
    final int status;

    Fault(boolean commits, int status) {
      this.commits = commits;
      this.status = status;
    }
  }

  /** Thrown for {@link Fault#WORKER_DIES_AFTER_COMMIT}: the pass ends without a word. */
  static final class WorkerDied extends RuntimeException {
    WorkerDied() {
      super("the worker died");
    }
  }

  final Map<String, ObjectNode> invoices = new LinkedHashMap<>();
  final Map<String, ObjectNode> contacts = new LinkedHashMap<>();
  final List<ObjectNode> payments = new ArrayList<>();
  final List<ObjectNode> bankTransactions = new ArrayList<>();
  final ArrayNode accounts = Json.MAPPER.createArrayNode();
  ObjectNode organisation = Json.MAPPER.createObjectNode();
  ArrayNode taxRates;
  ArrayNode currencies;
  Duration retryAfter = Duration.ofSeconds(2);
  String rateLimitProblem = "minute";

  /** Elements Xero saved, as "METHOD Collection"; a create saved twice shows here twice. */
  final List<String> saved = new ArrayList<>();

  /** Write requests sent, as "METHOD Collection". */
  final List<String> writeRequests = new ArrayList<>();

  final List<String> reads = new ArrayList<>();
  private final Map<String, Deque<Fault>> writeFaults = new HashMap<>();

  /** Applied to each invoice Xero creates: a Xero that holds something other than was asked. */
  java.util.function.Consumer<ObjectNode> createdInvoice = inv -> {};

  /** Empty: the read answers. */
  private final Deque<Optional<Fault>> readFaults = new ArrayDeque<>();

  private final Map<String, Deque<String>> refusals = new HashMap<>();
  private final Map<String, Deque<String>> warnings = new HashMap<>();
  private final Map<String, Deque<XeroApiException>> answers = new HashMap<>();
  private long clockMs = 1_800_000_000_000L;

  FakeXero() {
    account("090", "BANK", "Business Bank Account", false);
    account("091", "BANK", "Savings", false);
    account("200", "REVENUE", "Sales", false);
    account("610", "CURRENT", "Undeposited Funds", true);
  }

  void account(String code, String type, String name, boolean enablePayments) {
    accounts
        .addObject()
        .put("AccountID", UUID.nameUUIDFromBytes(code.getBytes(StandardCharsets.UTF_8)).toString())
        .put("Code", code)
        .put("Type", type)
        .put("Name", name)
        .put("Status", "ACTIVE")
        .put("EnablePaymentsToAccount", enablePayments);
  }

  /** The next requests of this kind (e.g. "PUT Invoices", "POST Invoices") meet these faults. */
  FakeXero failNext(String request, Fault... faults) {
    writeFaults.computeIfAbsent(request, r -> new ArrayDeque<>()).addAll(Arrays.asList(faults));
    return this;
  }

  /** The next reads meet these faults, one each. */
  FakeXero failReads(Fault... faults) {
    return failReadsAfter(0, faults);
  }

  /** After {@code answered} reads that answer, the next reads meet these faults. */
  FakeXero failReadsAfter(int answered, Fault... faults) {
    for (int i = 0; i < answered; i++) {
      readFaults.add(Optional.empty());
    }
    Arrays.stream(faults).forEach(f -> readFaults.add(Optional.of(f)));
    return this;
  }

  /** The next request of this kind is answered with this failure, before anything is saved. */
  FakeXero answerNext(String request, XeroApiException failure) {
    answers.computeIfAbsent(request, r -> new ArrayDeque<>()).add(failure);
    return this;
  }

  /** The next request of this kind is saved with this warning on each element, as Xero warns. */
  FakeXero warnNext(String request, String warning) {
    warnings.computeIfAbsent(request, r -> new ArrayDeque<>()).add(warning);
    return this;
  }

  /** The next request of this kind has its elements refused with this validation message. */
  FakeXero refuseNext(String request, String message) {
    refusals.computeIfAbsent(request, r -> new ArrayDeque<>()).add(message);
    return this;
  }

  long savedCount(String methodAndPath) {
    return saved.stream().filter(methodAndPath::equals).count();
  }

  List<ObjectNode> invoicesNumbered(String number) {
    return invoices.values().stream()
        .filter(i -> number.equals(i.path("InvoiceNumber").asText()))
        .toList();
  }

  List<ObjectNode> contactsNumbered(String number) {
    return contacts.values().stream()
        .filter(c -> number.equals(c.path("ContactNumber").asText()))
        .toList();
  }

  ObjectNode contact(String number, String name, String status) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("ContactID", UUID.randomUUID().toString());
    c.put("ContactNumber", number);
    c.put("Name", name);
    c.put("ContactStatus", status);
    contacts.put(c.get("ContactID").asText(), c);
    return c;
  }

  // ---- reads

  @Override
  public JsonNode read(String pathAndQuery, String tenantId, String accessToken)
      throws XeroApiException {
    reads.add(pathAndQuery);
    Optional<Fault> fault = readFaults.poll();
    if (fault != null && fault.isPresent()) {
      throw failure(fault.get(), "GET " + pathAndQuery);
    }
    String path = pathAndQuery.contains("?") ? pathAndQuery.split("\\?")[0] : pathAndQuery;
    String query = pathAndQuery.contains("?") ? decode(pathAndQuery.split("\\?", 2)[1]) : "";
    ObjectNode out = Json.MAPPER.createObjectNode();
    String[] parts = path.split("/");
    switch (parts[0]) {
      case "Invoices" -> {
        ArrayNode list = out.putArray("Invoices");
        if (parts.length > 1) {
          ObjectNode inv = invoices.get(parts[1]);
          if (inv != null) {
            list.add(inv.deepCopy());
          }
        } else {
          Set<String> numbers = Set.of(param(query, "InvoiceNumbers").split(","));
          invoices.values().stream()
              .filter(i -> numbers.contains(i.path("InvoiceNumber").asText()))
              .forEach(i -> list.add(i.deepCopy()));
        }
      }
      case "Contacts" -> {
        ArrayNode list = out.putArray("Contacts");
        if (parts.length > 1) {
          ObjectNode c = contacts.get(parts[1]);
          if (c != null) {
            list.add(c.deepCopy());
          }
        } else {
          String number = whereEquals(query, "ContactNumber");
          String term = param(query, "searchTerm").toLowerCase(java.util.Locale.ROOT);
          boolean archived = query.contains("includeArchived=true");
          boolean paged = query.contains("page=");
          contacts.values().stream()
              .filter(
                  c ->
                      term.isEmpty()
                          ? number.equals(c.path("ContactNumber").asText())
                          : c.path("Name")
                              .asText()
                              .toLowerCase(java.util.Locale.ROOT)
                              .contains(term))
              .filter(c -> archived || !"ARCHIVED".equals(c.path("ContactStatus").asText()))
              .map(ObjectNode::deepCopy)
              .forEach(
                  c -> {
                    if (!paged) {
                      // Xero names the merge only on a single read or a paged list
                      // (xero_accounting.yaml, Contact.MergedToContactID).
                      c.remove("MergedToContactID");
                    }
                    list.add(c);
                  });
        }
      }
      case "BankTransactions" -> {
        String reference = whereEquals(query, "Reference");
        ArrayNode list = out.putArray("BankTransactions");
        bankTransactions.stream()
            .filter(t -> reference.equals(t.path("Reference").asText()))
            .forEach(t -> list.add(t.deepCopy()));
      }
      case "Accounts" -> out.set("Accounts", accounts.deepCopy());
      case "TaxRates" -> out.set("TaxRates", orNotFound(taxRates, path));
      case "Currencies" -> out.set("Currencies", orNotFound(currencies, path));
      case "Organisation" -> out.putArray("Organisations").add(organisation.deepCopy());
      default -> throw new XeroApiException(404, "NotFound", null, "no " + path);
    }
    return out;
  }

  private static JsonNode orNotFound(ArrayNode list, String path) throws XeroApiException {
    if (list == null) {
      throw new XeroApiException(404, "NotFound", null, "this Xero does not serve " + path);
    }
    return list.deepCopy();
  }

  // ---- writes

  @Override
  public List<XeroWrites.Outcome> writeAll(
      String method,
      String path,
      String collection,
      List<? extends JsonNode> elements,
      String tenantId,
      String accessToken,
      String idempotencyKey)
      throws XeroApiException {
    String request = method + " " + path;
    String kind = method + " " + path.split("/")[0];
    writeRequests.add(kind);
    Deque<XeroApiException> answer = answers.get(kind);
    if (answer != null && !answer.isEmpty()) {
      throw answer.poll();
    }
    Deque<Fault> faults = writeFaults.get(kind);
    Fault fault = faults == null ? null : faults.poll();
    if (fault != null && !fault.commits) {
      throw failure(fault, request);
    }
    Deque<String> refused = refusals.get(kind);
    String refusal = refused == null ? null : refused.poll();
    Deque<String> warned = warnings.get(kind);
    List<String> warning = warned == null || warned.isEmpty() ? List.of() : List.of(warned.poll());
    List<XeroWrites.Outcome> out = new ArrayList<>();
    for (JsonNode el : elements) {
      if (refusal != null) {
        out.add(new XeroWrites.Outcome(400, null, List.of(refusal)));
        continue;
      }
      String problem = check(method, path, el);
      if (problem != null) {
        out.add(new XeroWrites.Outcome(400, null, List.of(problem)));
        continue;
      }
      saved.add(kind);
      out.add(
          new XeroWrites.Outcome(200, apply(method, path, (ObjectNode) el), List.of(), warning));
    }
    if (fault != null) {
      throw failure(fault, request);
    }
    return out;
  }

  /** Xero's validation, as far as the tests need it; null when the element is accepted. */
  private String check(String method, String path, JsonNode el) {
    switch (method + " " + path.split("/")[0]) {
      case "PUT Invoices" -> {
        String number = el.path("InvoiceNumber").asText();
        boolean taken =
            invoicesNumbered(number).stream()
                .anyMatch(i -> !"DELETED".equals(i.path("Status").asText()));
        return taken ? "Invoice # must be unique." : archived(el) ? ARCHIVED : null;
      }
      case "PUT BankTransactions" -> {
        if (!el.path("Contact").hasNonNull("ContactID")) {
          return "A Contact must be specified for this type of transaction";
        }
        return archived(el) ? ARCHIVED : null;
      }
      case "POST Invoices" -> {
        return archived(el) ? ARCHIVED : null;
      }
      case "PUT Contacts" -> {
        String name = el.path("Name").asText();
        boolean taken =
            contacts.values().stream()
                .anyMatch(
                    c ->
                        name.equals(c.path("Name").asText())
                            && !"ARCHIVED".equals(c.path("ContactStatus").asText()));
        return taken
            ? "The contact name " + name + " is already assigned to another contact."
            : null;
      }
      case "PUT Payments" -> {
        ObjectNode inv = invoices.get(el.path("Invoice").path("InvoiceID").asText());
        if (inv == null || !"AUTHORISED".equals(inv.path("Status").asText())) {
          return "Payments can only be made against Authorised documents";
        }
        if (el.path("Amount").decimalValue().compareTo(inv.path("AmountDue").decimalValue()) > 0) {
          return "Payment amount exceeds the amount outstanding on this document";
        }
        boolean takesPayments = false;
        for (JsonNode a : accounts) {
          if (a.path("Code").asText().equals(el.path("Account").path("Code").asText())) {
            takesPayments =
                "BANK".equals(a.path("Type").asText())
                    || a.path("EnablePaymentsToAccount").asBoolean();
          }
        }
        return takesPayments ? null : "Account could not be found.";
      }
      default -> {
        return null;
      }
    }
  }

  static final String ARCHIVED =
      "The contact with the specified contact details has been archived. The contact must be"
          + " un-archived before creating new invoices or credit notes.";

  private boolean archived(JsonNode el) {
    ObjectNode c = contacts.get(el.path("Contact").path("ContactID").asText());
    return c != null && "ARCHIVED".equals(c.path("ContactStatus").asText());
  }

  /** As merging in Xero: {@code dup}'s invoices move to {@code kept}, and it is archived. */
  void merge(ObjectNode dup, ObjectNode kept) {
    String keptId = kept.path("ContactID").asText();
    for (ObjectNode inv : invoices.values()) {
      if (dup.path("ContactID").asText().equals(inv.path("Contact").path("ContactID").asText())) {
        inv.putObject("Contact").put("ContactID", keptId);
      }
    }
    dup.put("ContactStatus", "ARCHIVED").put("MergedToContactID", keptId);
  }

  private ObjectNode apply(String method, String path, ObjectNode el) {
    String updated = "/Date(" + (clockMs += 1_000) + "+0000)/";
    String[] parts = path.split("/");
    ObjectNode saved;
    switch (method + " " + parts[0]) {
      case "PUT Invoices" -> {
        saved = el.deepCopy();
        saved.put("InvoiceID", UUID.randomUUID().toString());
        saved.put("Status", el.path("Status").asText("DRAFT"));
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode l : el.path("LineItems")) {
          total =
              total.add(
                  l.path("Quantity").decimalValue().multiply(l.path("UnitAmount").decimalValue()));
        }
        saved.put("Total", total);
        saved.put("AmountDue", total);
        saved.put("AmountPaid", BigDecimal.ZERO);
        saved.putArray("Payments");
        createdInvoice.accept(saved);
        invoices.put(saved.get("InvoiceID").asText(), saved);
      }
      case "POST Invoices" -> {
        ObjectNode target = invoices.get(parts[1]);
        el.fields().forEachRemaining(f -> target.set(f.getKey(), f.getValue()));
        saved = target;
      }
      case "PUT Contacts" -> {
        saved = el.deepCopy();
        saved.put("ContactID", UUID.randomUUID().toString());
        saved.put("ContactStatus", "ACTIVE");
        contacts.put(saved.get("ContactID").asText(), saved);
      }
      case "POST Contacts" -> {
        ObjectNode target = contacts.get(parts[1]);
        el.fields().forEachRemaining(f -> target.set(f.getKey(), f.getValue()));
        saved = target;
      }
      case "PUT Payments" -> {
        saved = el.deepCopy();
        saved.put("PaymentID", UUID.randomUUID().toString());
        payments.add(saved);
        ObjectNode inv = invoices.get(el.path("Invoice").path("InvoiceID").asText());
        BigDecimal amount = el.path("Amount").decimalValue();
        BigDecimal due = inv.path("AmountDue").decimalValue().subtract(amount);
        inv.put("AmountDue", due);
        inv.put("AmountPaid", inv.path("AmountPaid").decimalValue().add(amount));
        if (due.signum() == 0) {
          inv.put("Status", "PAID");
        }
        ((ArrayNode) inv.withArray("Payments"))
            .addObject()
            .put("PaymentID", saved.get("PaymentID").asText())
            .put("Reference", el.path("Reference").asText())
            .put("Amount", amount);
        inv.put("UpdatedDateUTC", updated);
      }
      case "PUT BankTransactions" -> {
        saved = el.deepCopy();
        saved.put("BankTransactionID", UUID.randomUUID().toString());
        saved.put("Status", "AUTHORISED");
        bankTransactions.add(saved);
      }
      default ->
          throw new IllegalArgumentException("the fake does not serve " + method + " " + path);
    }
    saved.put("UpdatedDateUTC", updated);
    msDate(saved, "Date");
    msDate(saved, "DueDate");
    return saved.deepCopy();
  }

  /** Xero answers dates as /Date(ms+0000)/, with the ISO date beside them in DateString. */
  private static void msDate(ObjectNode n, String field) {
    String iso = n.path(field).asText("");
    if (iso.matches("\\d{4}-\\d{2}-\\d{2}")) {
      long ms = LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      n.put(field, "/Date(" + ms + "+0000)/");
      n.put(field + "String", iso + "T00:00:00");
    }
  }

  private XeroApiException failure(Fault fault, String request) {
    return switch (fault) {
      case LOST_ANSWER ->
          new XeroApiException(502, "InvalidResponse", null, "Xero sent no JSON for " + request);
      case TIMEOUT_AFTER_COMMIT ->
          new XeroApiException(0, "Timeout", null, "Xero did not answer " + request);
      case SERVER_ERROR_AFTER_COMMIT, SERVER_ERROR ->
          new XeroApiException(fault.status, null, null, "Xero answered " + fault.status);
      case RATE_LIMITED ->
          new XeroApiException(429, rateLimitProblem, retryAfter, "Xero's minute limit is spent");
      case TOKEN_EXPIRED -> new XeroApiException(401, "TokenExpired", null, "token expired");
      case WORKER_DIES_AFTER_COMMIT -> throw new WorkerDied();
    };
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String param(String query, String name) {
    for (String p : query.split("&")) {
      if (p.startsWith(name + "=")) {
        return p.substring(name.length() + 1);
      }
    }
    return "";
  }

  private static final Pattern WHERE = Pattern.compile("(\\w+)==\"((?:[^\"\\\\]|\\\\.)*)\"");

  private static String whereEquals(String query, String field) {
    Matcher m = WHERE.matcher(param(query, "where"));
    while (m.find()) {
      if (m.group(1).equals(field)) {
        return m.group(2).replace("\\\"", "\"");
      }
    }
    return "";
  }
}
