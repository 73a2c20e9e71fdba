package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Operations;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code ?validate=only}: checks a write against what we hold of the organisation (accounts, tax
 * rates, currencies and lock dates read at set-up, contacts and invoices from the sync), and never
 * calls Xero. Every problem comes with a code; an empty list means Xero should accept the write as
 * far as our copy can tell.
 */
public final class DryRun {
  private final OperationLog log;
  private final ReadSide invoices;
  private final Contacts contacts;

  /** The synced contacts, by Xero's id: {@link ContactStore} in production. */
  @FunctionalInterface
  interface Contacts {
    Optional<XeroContact> get(String tenantId, String contactId);
  }

  public DryRun(Operations operations, InvoiceStore invoices, ContactStore contacts) {
    this(new OperationLog(operations), ReadSide.of(invoices), contacts::get);
  }

  DryRun(OperationLog log, ReadSide invoices, Contacts contacts) {
    this.log = log;
    this.invoices = invoices;
    this.contacts = contacts;
  }

  public ObjectNode check(Outbox.Write write) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode problems = out.putArray("problems");
    Problem refused = Outbox.checked(write);
    if (refused != null) {
      problem(problems, "INVALID_REQUEST", refused.detail(), null);
      out.put("valid", false);
      return out;
    }
    ObjectNode ref = log.reference(write.tenantId()).orElse(Json.MAPPER.createObjectNode());
    JsonNode body = write.body();
    switch (write.kind()) {
      case INVOICE_UPSERT -> invoice(write, body, ref, problems);
      case INVOICE_VOID -> voidable(write, problems);
      case PAYMENT -> payment(write, body, ref, problems);
      case DEPOSIT -> {
        account(ref, body.path("accountCode").asText(null), "accountCode", problems);
        lockDate(ref, body.path("date").asText(null), problems);
        String contact =
            WriteRules.depositContactProblem(
                body, log.settings(write.tenantId()).orElse(Json.MAPPER.createObjectNode()));
        if (contact != null) {
          problem(problems, "CONTACT_REQUIRED", contact, "contact");
        }
      }
      case CONTACT_UPSERT -> {}
      case INVOICE_HISTORY -> {
        for (JsonNode invoice : body.path("invoices")) {
          ArrayNode its = Json.MAPPER.createArrayNode();
          invoice(
              new Outbox.Write(
                  write.tenantId(),
                  OperationKind.INVOICE_UPSERT,
                  invoice.path("invoiceId").asText(),
                  null,
                  invoice,
                  null),
              invoice,
              ref,
              its);
          for (JsonNode p : its) {
            ObjectNode named = ((ObjectNode) p.deepCopy());
            named.put("invoiceId", invoice.path("invoiceId").asText());
            problems.add(named);
          }
        }
      }
      case ACCOUNTING_SETTINGS -> {
        paymentAccount(
            ref, body.path("paymentAccountCode").asText(null), "paymentAccountCode", problems);
        String deposit = body.path("depositAccountCode").asText(null);
        if (deposit != null && ref.has("accounts")) {
          String p = WriteRules.depositAccountProblem(ref.get("accounts"), deposit);
          if (p != null) {
            problem(problems, "ACCOUNT_INVALID", p, "depositAccountCode");
          }
        }
      }
    }
    out.put("valid", problems.isEmpty());
    // The set-up's copy, read again by the write worker when an hour old (AccountingSetup.refresh).
    out.put("checkedAgainst", ref.path("accountsFetchedAt").asText("nothing cached yet"));
    return out;
  }

  /** The accounting set-up as stored (GET /settings/accounting). */
  public ObjectNode settings(String tenantId) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    Optional<ObjectNode> s = log.settings(tenantId);
    out.put("configured", s.isPresent());
    s.ifPresent(v -> out.set("settings", v));
    if (s.isEmpty()) {
      out.put(
          "action",
          "Choose the account payments go into with PUT /tenants/{tenantId}/settings/accounting");
    }
    return out;
  }

  /**
   * The problems a write is refused for with a 400 before it is recorded: those the request itself
   * settles (its shape, its claimed totals, its currency against the invoice's), found by the same
   * {@link #check} the dry run answers with. Problems that depend on the organisation's state as we
   * last saw it (accounts, lock dates, statuses) stay for Xero to judge.
   */
  static final Set<String> REFUSED =
      Set.of("INVALID_REQUEST", "TOTAL_MISMATCH", "CURRENCY_MISMATCH");

  /** The 400 the write gets for the first {@link #REFUSED} problem, or null. */
  public @Nullable Problem refusal(Outbox.Write write) {
    for (JsonNode p : check(write).path("problems")) {
      if (REFUSED.contains(p.path("code").asText())) {
        String at = p.path("invoiceId").asText("");
        return new Problem(
            400,
            "Invalid write",
            (at.isEmpty() ? "" : "invoices[" + at + "]: ") + p.path("message").asText());
      }
    }
    return null;
  }

  private void invoice(Outbox.Write w, JsonNode body, ObjectNode ref, ArrayNode problems) {
    Map<String, BigDecimal> taxRates = taxRates(ref);
    int i = 0;
    for (JsonNode line : XeroInvoiceElement.lines(body)) {
      String at = "lineItems[" + i++ + "]";
      account(ref, line.path("AccountCode").asText(null), at + ".accountCode", problems);
      String taxType = line.path("TaxType").asText(null);
      if (taxType != null && ref.has("taxRates")) {
        String p =
            WriteRules.taxRateProblem(
                ref.get("taxRates"),
                ref.get("accounts"),
                taxType,
                line.path("AccountCode").asText(null));
        if (p != null) {
          problem(problems, "TAX_RATE_INVALID", at + "." + p, at);
        }
      }
    }
    String currency = body.path("currency").asText(null);
    if (currency != null && ref.has("currencies")) {
      Set<String> codes = new HashSet<>();
      ref.get("currencies").forEach(c -> codes.add(c.path("Code").asText()));
      if (!codes.contains(currency)) {
        problem(
            problems,
            "CURRENCY_NOT_SUBSCRIBED",
            "The organisation does not have currency " + currency,
            "currency");
      }
    }
    lockDate(ref, body.path("date").asText(null), problems);
    String total = WriteRules.totalProblem(body, taxRates);
    if (total != null) {
      problem(problems, "TOTAL_MISMATCH", total, "total");
    }
    String contactExt = body.path("contact").path("externalId").asText(null);
    if (contactExt != null) {
      log.link(w.tenantId(), OperationLog.CONTACT, contactExt)
          .flatMap(l -> contacts.get(w.tenantId(), l.path("contactId").asText()))
          .filter(c -> "ARCHIVED".equals(c.status()))
          .ifPresent(
              c ->
                  problem(
                      problems,
                      "CONTACT_ARCHIVED",
                      "The contact " + c.name() + " is archived in Xero; restore it first",
                      "contact"));
    }
    Optional<ObjectNode> link =
        log.link(w.tenantId(), OperationLog.INVOICE, required(w.externalId()));
    if (link.isPresent()) {
      String status = current(w.tenantId(), link.get());
      boolean linesChanged =
          body.has("lineItems")
              && !XeroInvoiceElement.linesFingerprint(body)
                  .equals(link.get().path("lines").asText());
      if ((linesChanged && !"DRAFT".equals(status))
          || Set.of("PAID", "VOIDED", "DELETED").contains(status)) {
        problem(
            problems,
            "STATUS_NOT_MODIFIABLE",
            "The invoice is " + status + " in Xero; its line items can no longer change",
            "lineItems");
      }
    }
  }

  private void voidable(Outbox.Write w, ArrayNode problems) {
    Optional<ObjectNode> link =
        log.link(w.tenantId(), OperationLog.INVOICE, required(w.externalId()));
    if (link.isEmpty()) {
      problem(problems, "STATUS_NOT_MODIFIABLE", "The invoice was never pushed to Xero", null);
      return;
    }
    Optional<XeroInvoice> inv = invoices.get(w.tenantId(), link.get().path("invoiceId").asText());
    String status = current(w.tenantId(), link.get());
    boolean paid =
        inv.map(x -> x.amountPaid() != null && x.amountPaid().signum() > 0).orElse(false);
    if (InvoiceVoid.DELETABLE.contains(status)) {
      return; // deleted rather than voided, as Xero does with drafts
    }
    if (!"AUTHORISED".equals(status) || paid) {
      problem(
          problems,
          "STATUS_NOT_MODIFIABLE",
          "Only an authorised invoice with no payments can be voided, or a draft deleted; it is "
              + status
              + (paid ? " with payments" : ""),
          null);
    }
  }

  private void payment(Outbox.Write w, JsonNode body, ObjectNode ref, ArrayNode problems) {
    Optional<ObjectNode> settings = log.settings(w.tenantId());
    String account = body.path("accountCode").asText(null);
    if (account == null && settings.isPresent()) {
      account = settings.get().path("paymentAccountCode").asText(null);
    }
    if (account == null) {
      problem(
          problems,
          "ACCOUNT_INVALID",
          "No account to pay into: the accounting set-up is not done",
          "accountCode");
    } else {
      paymentAccount(ref, account, "accountCode", problems);
    }
    lockDate(ref, body.path("date").asText(null), problems);
    Optional<ObjectNode> link =
        log.link(w.tenantId(), OperationLog.INVOICE, required(w.parentExternalId()));
    if (link.isEmpty()) {
      problem(problems, "STATUS_NOT_MODIFIABLE", "The invoice is not in Xero", null);
      return;
    }
    String status = current(w.tenantId(), link.get());
    if (!"AUTHORISED".equals(status)) {
      problem(
          problems,
          "STATUS_NOT_MODIFIABLE",
          "Payments go only on AUTHORISED invoices; it is " + status,
          null);
    }
    String invoiceCurrency =
        invoices
            .get(w.tenantId(), link.get().path("invoiceId").asText())
            .map(XeroInvoice::currencyCode)
            .orElse(link.get().path("currency").asText(null));
    String currency = WriteRules.currencyProblem(body, invoiceCurrency);
    if (currency != null) {
      problem(problems, "CURRENCY_MISMATCH", currency, "currency");
    }
    invoices
        .get(w.tenantId(), link.get().path("invoiceId").asText())
        .filter(
            x ->
                x.amountDue() != null
                    && body.path("amount").decimalValue().compareTo(x.amountDue()) > 0)
        .ifPresent(
            x ->
                problem(
                    problems,
                    "PAYMENT_EXCEEDS_OUTSTANDING",
                    "The payment of "
                        + body.path("amount").decimalValue()
                        + " exceeds the amount due of "
                        + x.amountDue(),
                    "amount"));
  }

  /** The read side's status when it has the invoice (it sees payments made in Xero), else ours. */
  private String current(String tenantId, ObjectNode link) {
    return invoices
        .get(tenantId, link.path("invoiceId").asText())
        .map(XeroInvoice::status)
        .orElse(link.path("status").asText());
  }

  private static void account(ObjectNode ref, String code, String field, ArrayNode problems) {
    if (code == null || !ref.has("accounts")) {
      return;
    }
    if (WriteRules.activeAccount(ref.get("accounts"), code).isEmpty()) {
      problem(
          problems,
          "ACCOUNT_INVALID",
          field + " " + code + " is not an active account of the organisation",
          field);
    }
  }

  /** The set-up's rule for the account payments go into. */
  private static void paymentAccount(
      ObjectNode ref, String code, String field, ArrayNode problems) {
    if (code == null || !ref.has("accounts")) {
      return;
    }
    String p = WriteRules.paymentAccountProblem(ref.get("accounts"), code);
    if (p != null) {
      problem(problems, "ACCOUNT_INVALID", p, field);
    }
  }

  private static void lockDate(ObjectNode ref, String date, ArrayNode problems) {
    String p = WriteRules.lockDateProblem(ref.path("lockDate").asText(null), date);
    if (p != null) {
      problem(problems, "LOCK_DATE", p, "date");
    }
  }

  private static Map<String, BigDecimal> taxRates(ObjectNode ref) {
    Map<String, BigDecimal> rates = new HashMap<>();
    ref.path("taxRates")
        .forEach(
            t -> {
              if ("ACTIVE".equals(t.path("Status").asText("ACTIVE"))) {
                rates.put(t.path("TaxType").asText(), t.path("EffectiveRate").decimalValue());
              }
            });
    return rates;
  }

  /** An id of the write that {@link Outbox#checked}, run first, already required. */
  private static String required(@Nullable String id) {
    return Objects.requireNonNull(id, "Outbox.checked refuses a write without it");
  }

  private static void problem(
      ArrayNode problems, String code, String message, @Nullable String field) {
    ObjectNode p = problems.addObject().put("code", code).put("message", message);
    if (field != null) {
      p.put("field", field);
    }
  }

  static boolean archived(XeroContact c) {
    return "ARCHIVED".equals(c.status());
  }
}
