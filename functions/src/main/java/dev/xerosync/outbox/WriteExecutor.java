package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroDates;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import dev.xerosync.xero.XeroWrites;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries one operation to Xero exactly once.
 *
 * <ul>
 *   <li>The operation is marked SENDING (a conditional write) before any call; a worker that finds
 *       it SENDING knows an earlier pass may have reached Xero and treats it as ambiguous.
 *   <li>After an ambiguous outcome (a timeout, a lost response, a 5xx) nothing is sent before the
 *       entity is looked up by our own key: InvoiceNumbers= for invoices, ContactNumber for
 *       contacts, Reference for payments (among the invoice's) and deposits. Found means adopted.
 *   <li>Xero's Idempotency-Key is reused only inside Xero's 6-minute window (we stop at 5, as
 *       margin for clock skew and the call's own duration); after it, a lookup has just shown the
 *       entity absent, so a new key is safe.
 *   <li>A pass that cannot finish leaves the operation for the queue to bring back; after {@link
 *       #MAX_ATTEMPTS} passes, or on the queue's last delivery, it ends FAILED (nothing was saved)
 *       or NEEDS_ATTENTION (Xero never confirmed either way) with the action. It never loops.
 * </ul>
 */
public final class WriteExecutor {
  private static final Log LOG = Log.of(WriteExecutor.class);
  static final Duration KEY_WINDOW = Duration.ofMinutes(5);
  static final int MAX_ATTEMPTS = 8;
  static final int INLINE_TRIES = 3;
  static final String OPERATIONS_METRIC = "WriteOperations";
  static final String UNSUCCESSFUL_METRIC = "WriteOperationsUnsuccessful";

  private final OperationLog log;
  private final XeroWrites xero;
  private final TenantXero access;
  private final InvoiceStore invoices;
  private final OperationEvents events;
  private final Clock clock;
  private final Duration inlineBackoff;

  public WriteExecutor(
      dev.xerosync.store.Operations operations,
      XeroWrites xero,
      TenantXero access,
      InvoiceStore invoices,
      OperationEvents events,
      Clock clock,
      Duration inlineBackoff) {
    this.log = new OperationLog(operations);
    this.xero = xero;
    this.access = access;
    this.invoices = invoices;
    this.events = events;
    this.clock = clock;
    this.inlineBackoff = inlineBackoff;
  }

  /** What the queue should do with the operation's message. */
  public sealed interface Pass {
    /** The operation is terminal (now or before): delete the message. */
    record Done(OperationState state) implements Pass {}

    /** Bring the message back after this wait; the operation stays open. */
    record Later(Duration delay, String why) implements Pass {}
  }

  /** What one operation came to. */
  record Completion(
      OperationState state,
      Map<String, String> ids,
      List<String> messages,
      String code,
      String action,
      String actionUrl) {
    static Completion succeeded(Map<String, String> ids) {
      return new Completion(OperationState.SUCCEEDED, ids, List.of(), null, null, null);
    }

    static Completion rejected(List<String> messages) {
      Corrections.Correction c = Corrections.of(messages);
      OperationState s =
          "CONTACT_ARCHIVED".equals(c.code())
              ? OperationState.NEEDS_ATTENTION
              : OperationState.FAILED;
      return new Completion(s, Map.of(), messages, c.code(), c.action(), null);
    }

    static Completion failed(String code, String message, String action) {
      return new Completion(OperationState.FAILED, Map.of(), List.of(message), code, action, null);
    }

    /** Not now: another operation must finish first (nothing was sent). */
    static Completion waitFor(String why) {
      return new Completion(OperationState.QUEUED, Map.of(), List.of(why), null, null, null);
    }
  }

  /** One pass over the operation; {@code lastDelivery} is the queue's final chance. */
  @SuppressWarnings("try")
  public Pass run(String tenantId, String operationId, boolean lastDelivery) {
    Optional<Operation> loaded = log.load(tenantId, operationId);
    if (loaded.isEmpty()) {
      LOG.warn("no such operation; message dropped", "operationId", operationId);
      return new Pass.Done(null);
    }
    Operation op = loaded.get();
    if (op.state.isTerminal()) {
      return new Pass.Done(op.state);
    }
    try (var scope = Log.scope(Log.TENANT_ID, tenantId, "operationId", operationId)) {
      Instant now = clock.instant();
      if (op.state == OperationState.SENDING) {
        // A pass died while sending, or saw no answer: Xero may hold the entity.
        op.ambiguous = true;
      }
      op.state = OperationState.SENDING;
      op.attempts++;
      if (op.startedAt == null) {
        op.startedAt = now;
      }
      if (op.keyIssuedAt == null || now.isAfter(op.keyIssuedAt.plus(KEY_WINDOW))) {
        // Safe: either nothing was sent under the old key, or the lookup below runs first.
        op.keyGeneration++;
        op.keyIssuedAt = now;
      }
      if (!log.save(op, now)) {
        return new Pass.Later(Duration.ofSeconds(1), "another worker moved the operation");
      }
      XeroApiException last = null;
      for (int i = 0; i < INLINE_TRIES; i++) {
        try {
          Completion done = execute(op);
          if (done.state() == OperationState.QUEUED) {
            return waitFor(op, done.messages().get(0), lastDelivery);
          }
          return finish(op, done);
        } catch (XeroApiException e) {
          last = e;
          if (XeroWrites.isAmbiguous(e)) {
            op.ambiguous = true;
          }
          if (e.isForbidden()) {
            return finish(
                op,
                new Completion(
                    OperationState.NEEDS_ATTENTION,
                    Map.of(),
                    List.of(e.getMessage()),
                    "NOT_AUTHORISED",
                    "Reconnect the organisation to Xero: the connection no longer has access.",
                    null));
          }
          Duration wait =
              e.retryAfter() == null ? inlineBackoff.multipliedBy(1L << i) : e.retryAfter();
          if (!e.isRetryable() && !e.isTokenExpired()) {
            return finish(
                op,
                Completion.failed(
                    "XERO_ERROR",
                    e.getMessage(),
                    "Send the write again; if it keeps failing, contact support with the operation id."));
          }
          if (wait.compareTo(Duration.ofSeconds(3)) > 0 || i == INLINE_TRIES - 1) {
            break;
          }
          sleep(wait);
        } catch (TokenRefreshException e) {
          if (!e.isPermanent()) {
            // Nothing was sent: wait for the identity service like for a busy Xero.
            last = new XeroApiException(503, "TokenRefresh", null, e.getMessage());
            break;
          }
          return finish(
              op,
              new Completion(
                  OperationState.NEEDS_ATTENTION,
                  Map.of(),
                  List.of(e.getMessage()),
                  "NOT_CONNECTED",
                  "Reconnect the organisation to Xero; then send the write again.",
                  null));
        }
      }
      return giveUpOrLater(op, last, lastDelivery);
    }
  }

  private Pass waitFor(Operation op, String why, boolean lastDelivery) {
    if (op.attempts >= MAX_ATTEMPTS || lastDelivery) {
      return finish(
          op,
          Completion.failed(
              "SETUP_REQUIRED",
              why + " It did not finish in time; nothing was sent to Xero.",
              "Check the accounting set-up's operation, fix it if it failed, then send this"
                  + " write again."));
    }
    op.state = OperationState.QUEUED;
    log.save(op, clock.instant());
    return new Pass.Later(Duration.ofSeconds(1), why);
  }

  /** True when a set-up operation was accepted and has not finished yet. */
  private boolean setupPending(String tenantId) {
    return log.link(tenantId, OperationLog.SETUP, "accounting")
        .flatMap(l -> log.load(tenantId, l.path("operationId").asText()))
        .map(setup -> !setup.state.isTerminal())
        .orElse(false);
  }

  private Pass giveUpOrLater(Operation op, XeroApiException last, boolean lastDelivery) {
    Instant now = clock.instant();
    if (op.attempts < MAX_ATTEMPTS
        && !lastDelivery
        && !(last.isRateLimited() && "day".equals(last.problem()))) {
      if (!op.ambiguous) {
        // Nothing reached Xero: back in the queue as it was.
        op.state = OperationState.QUEUED;
      }
      log.save(op, now);
      Duration wait = last.retryAfter() == null ? Duration.ofSeconds(2) : last.retryAfter();
      return new Pass.Later(wait, last.getMessage());
    }
    if (op.ambiguous) {
      // A lookup could not run or answered nothing conclusive: never guess about money.
      return finish(
          op,
          new Completion(
              OperationState.NEEDS_ATTENTION,
              Map.of(),
              List.of(last.getMessage()),
              "UNCONFIRMED",
              "Xero did not confirm whether it saved this write. Look in Xero for "
                  + lookupHint(op)
                  + " before sending it again: if it is there, nothing more is needed.",
              null));
    }
    return finish(
        op,
        Completion.failed(
            last.isRateLimited() ? "RATE_LIMITED" : "XERO_UNAVAILABLE",
            last.getMessage() + " (after " + op.attempts + " attempts; nothing was saved in Xero)",
            last.isRateLimited()
                ? "Xero's API limit for the organisation is spent; send the write again later."
                : "Xero was unavailable; send the write again later."));
  }

  private static String lookupHint(Operation op) {
    return switch (op.kind) {
      case INVOICE_UPSERT, INVOICE_VOID -> "invoice number " + op.externalId;
      case PAYMENT, DEPOSIT -> "a payment or deposit with reference " + op.externalId;
      case CONTACT_UPSERT -> "a contact with contact number " + op.externalId;
      case INVOICE_HISTORY ->
          "the invoice numbers of this push that its elements do not show as SUCCEEDED";
      case ACCOUNTING_SETTINGS -> "the organisation's accounts";
    };
  }

  private Pass finish(Operation op, Completion c) {
    Instant now = clock.instant();
    op.xero.putAll(c.ids());
    op.finish(c.state(), c.messages(), c.code(), c.action(), c.actionUrl(), now);
    if (!log.save(op, now)) {
      LOG.warn("operation moved while finishing; the other pass's result stands");
      return new Pass.Done(op.state);
    }
    events.finished(op);
    Metrics.count(OPERATIONS_METRIC, 1, "State", op.state.name());
    if (op.state != OperationState.SUCCEEDED) {
      Metrics.count(UNSUCCESSFUL_METRIC, 1);
    }
    LOG.info(
        "operation finished",
        "state",
        op.state,
        "kind",
        op.kind,
        "xeroCalls",
        op.xeroCalls,
        "attempts",
        op.attempts);
    return new Pass.Done(op.state);
  }

  // ---- the operations

  private Completion execute(Operation op) throws XeroApiException, TokenRefreshException {
    Call call = new Call(op);
    return switch (op.kind) {
      case INVOICE_UPSERT -> invoiceUpsert(call);
      case INVOICE_VOID -> invoiceVoid(call);
      case PAYMENT -> payment(call);
      case DEPOSIT -> deposit(call);
      case CONTACT_UPSERT -> contactUpsert(call);
      case INVOICE_HISTORY -> invoiceHistory(call);
      case ACCOUNTING_SETTINGS -> settings(call);
    };
  }

  private Completion invoiceUpsert(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    JsonNode body = op.request;
    Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.INVOICE, op.externalId);
    if (link.isEmpty() && op.ambiguous) {
      Optional<JsonNode> ours = invoiceNumbered(c, op.externalId);
      if (ours.isPresent()) {
        // Our earlier create reached Xero: adopt it instead of creating a second one.
        ObjectNode adopted = linkInvoice(op, ours.get(), WriteRequests.linesFingerprint(body));
        return Completion.succeeded(ids(adopted));
      }
    }
    String wantedStatus = WriteRequests.text(body, "status");
    if (link.isEmpty()) {
      String contactId = null;
      if (body.has("contact")) {
        ContactResult cr = ensureContact(c, body.get("contact"), false);
        if (cr.problem != null) {
          return cr.problem;
        }
        contactId = cr.contactId;
      } else {
        return Completion.failed(
            "CONTACT_REQUIRED",
            "A new invoice needs a contact",
            "Send the invoice with contact.externalId and contact.name (or contact.xeroContactId).");
      }
      if (wantedStatus == null) {
        wantedStatus =
            log.settings(op.tenantId).map(s -> s.path("invoiceStatus").asText(null)).orElse(null);
      }
      ObjectNode el =
          WriteRequests.xeroInvoice(body, op.externalId, contactId, wantedStatus, true, null);
      XeroWrites.Outcome out = c.write("PUT", "Invoices", "Invoices", el, "invoice-create");
      if (out.rejected()) {
        if (op.ambiguous && "INVOICE_NUMBER_TAKEN".equals(Corrections.of(out.messages()).code())) {
          // An earlier pass of this operation, still running when this one looked, created it.
          Optional<JsonNode> ours = invoiceNumbered(c, op.externalId);
          if (ours.isPresent()) {
            ObjectNode adopted = linkInvoice(op, ours.get(), WriteRequests.linesFingerprint(body));
            return Completion.succeeded(ids(adopted));
          }
        }
        return Completion.rejected(out.messages());
      }
      ObjectNode linked = linkInvoice(op, out.element(), WriteRequests.linesFingerprint(body));
      return Completion.succeeded(ids(linked));
    }
    ObjectNode l = link.get();
    if (op.operationId.equals(l.path("operationId").asText())) {
      // An earlier pass of this operation applied it and was cut off before recording the end.
      return Completion.succeeded(ids(l));
    }
    String invoiceId = l.path("invoiceId").asText();
    String current = l.path("status").asText();
    String fingerprint = WriteRequests.linesFingerprint(body);
    boolean linesChanged = body.has("lineItems") && !fingerprint.equals(l.path("lines").asText());
    if (linesChanged && !"DRAFT".equals(current)) {
      return new Completion(
          OperationState.FAILED,
          Map.of("invoiceId", invoiceId),
          List.of("Line items can only change while the invoice is DRAFT; it is " + current + "."),
          "STATUS_NOT_MODIFIABLE",
          "Keep the line items as they are, or void the invoice and push a new one.",
          null);
    }
    String status = wantedStatus != null && !wantedStatus.equals(current) ? wantedStatus : null;
    String contactId = null;
    if (body.has("contact")) {
      String ext = body.get("contact").path("externalId").asText(null);
      String xid = body.get("contact").path("xeroContactId").asText(null);
      boolean same =
          (ext != null && ext.equals(l.path("contactExternalId").asText(null)))
              || (xid != null && xid.equals(l.path("contactId").asText(null)));
      if (!same) {
        ContactResult cr = ensureContact(c, body.get("contact"), false);
        if (cr.problem != null) {
          return cr.problem;
        }
        contactId = cr.contactId;
      }
    }
    ObjectNode el =
        WriteRequests.xeroInvoice(body, op.externalId, contactId, status, linesChanged, invoiceId);
    if (op.ambiguous && status != null) {
      // The earlier send may have applied this very change (status and lines move together).
      JsonNode now = c.lookup("Invoices/" + invoiceId).path("Invoices").path(0);
      if (status.equals(now.path("Status").asText())) {
        ObjectNode linked =
            linkInvoice(op, now, linesChanged ? fingerprint : l.path("lines").asText());
        return Completion.succeeded(ids(linked));
      }
    }
    XeroWrites.Outcome out =
        c.write("POST", "Invoices/" + invoiceId, "Invoices", el, "invoice-update");
    if (out.rejected()) {
      Completion r = Completion.rejected(out.messages());
      return new Completion(
          r.state(),
          Map.of("invoiceId", invoiceId),
          r.messages(),
          r.code(),
          r.action(),
          r.actionUrl());
    }
    ObjectNode linked =
        linkInvoice(op, out.element(), linesChanged ? fingerprint : l.path("lines").asText());
    return Completion.succeeded(ids(linked));
  }

  // ---- the history push

  /** Xero's guidance for a write request: at most 50 elements. */
  static final int BATCH = 50;

  /**
   * Creates the push's invoices 50 to a request. An invoice we already linked is not sent again;
   * after an ambiguous batch (or a pass that died while sending) the batch's invoices are looked up
   * by InvoiceNumbers= in one call and adopted before anything is resent. Each invoice ends with
   * its own state; the push succeeds when all of them did.
   */
  private Completion invoiceHistory(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    Map<String, Operation.Element> done = new LinkedHashMap<>();
    op.elements.forEach(e -> done.put(e.externalId(), e));
    List<JsonNode> pending = new ArrayList<>();
    for (JsonNode invoice : op.request.path("invoices")) {
      String ext = invoice.path("invoiceId").asText();
      if (done.containsKey(ext)) {
        continue;
      }
      Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.INVOICE, ext);
      if (link.isPresent()) {
        done.put(ext, succeeded(ext, ids(link.get()), "Already in Xero: not sent again."));
      } else {
        pending.add(invoice);
      }
    }
    op.elements = new ArrayList<>(done.values());
    for (int from = 0; from < pending.size(); from += BATCH) {
      List<JsonNode> batch = pending.subList(from, Math.min(pending.size(), from + BATCH));
      pushBatch(c, batch, done);
      op.elements = new ArrayList<>(done.values());
      // Progress shows in GET /operations/{id}; the links, not this, keep a resend from happening.
      log.save(op, clock.instant());
    }
    List<Operation.Element> ordered = new ArrayList<>();
    for (JsonNode invoice : op.request.path("invoices")) {
      ordered.add(done.get(invoice.path("invoiceId").asText()));
    }
    op.elements = ordered;
    long ok = ordered.stream().filter(e -> e.state() == OperationState.SUCCEEDED).count();
    int total = ordered.size();
    if (ok == total) {
      return new Completion(
          OperationState.SUCCEEDED,
          Map.of(),
          List.of(total + " of " + total + " invoices are in Xero."),
          null,
          null,
          null);
    }
    String summary =
        ok + " of " + total + " invoices are in Xero; " + (total - ok) + " were refused.";
    String action =
        "Fix the refused invoices (each element says how) and push them again; the others are in"
            + " Xero and are never sent twice.";
    return ok == 0
        ? new Completion(
            OperationState.FAILED, Map.of(), List.of(summary), "HISTORY_REFUSED", action, null)
        : new Completion(
            OperationState.NEEDS_ATTENTION,
            Map.of(),
            List.of(summary),
            "SOME_INVOICES_REFUSED",
            action,
            null);
  }

  private void pushBatch(Call c, List<JsonNode> batch, Map<String, Operation.Element> done)
      throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    Map<String, JsonNode> toSend = new LinkedHashMap<>();
    batch.forEach(inv -> toSend.put(inv.path("invoiceId").asText(), inv));
    if (op.ambiguous) {
      // An earlier send of this batch may have reached Xero: adopt what it created.
      for (String numbers : lookupGroups(List.copyOf(toSend.keySet()))) {
        for (JsonNode inv :
            c.lookup("Invoices?InvoiceNumbers=" + XeroWrites.encode(numbers)).path("Invoices")) {
          String ext = inv.path("InvoiceNumber").asText();
          JsonNode ours = toSend.get(ext);
          if (ours != null && !"DELETED".equals(inv.path("Status").asText())) {
            ObjectNode link = linkInvoice(op, ext, ours, inv, WriteRequests.linesFingerprint(ours));
            done.put(ext, succeeded(ext, ids(link), "Found in Xero after an unconfirmed send."));
            toSend.remove(ext);
          }
        }
      }
    }
    String defaultStatus = null;
    List<String> numbers = new ArrayList<>();
    List<ObjectNode> elements = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : toSend.entrySet()) {
      JsonNode body = e.getValue();
      ContactResult cr = ensureContact(c, body.get("contact"), false);
      if (cr.problem != null) {
        done.put(e.getKey(), element(e.getKey(), cr.problem));
        continue;
      }
      String status = WriteRequests.text(body, "status");
      if (status == null) {
        if (defaultStatus == null) {
          defaultStatus =
              log.settings(op.tenantId)
                  .map(s -> s.path("invoiceStatus").asText("DRAFT"))
                  .orElse("DRAFT");
        }
        status = defaultStatus;
      }
      numbers.add(e.getKey());
      elements.add(WriteRequests.xeroInvoice(body, e.getKey(), cr.contactId, status, true, null));
    }
    if (elements.isEmpty()) {
      return;
    }
    // The key names this batch's content: a batch re-formed after adoptions gets a key of its own.
    String step = "history-" + Outbox.hash(String.join(",", numbers)).substring(0, 16);
    List<XeroWrites.Outcome> outcomes = c.writeAll("PUT", "Invoices", "Invoices", elements, step);
    for (int i = 0; i < outcomes.size(); i++) {
      String ext = numbers.get(i);
      JsonNode body = toSend.get(ext);
      XeroWrites.Outcome out = outcomes.get(i);
      if (out.accepted()) {
        ObjectNode link =
            linkInvoice(op, ext, body, out.element(), WriteRequests.linesFingerprint(body));
        done.put(ext, succeeded(ext, ids(link), null));
        continue;
      }
      if (op.ambiguous && "INVOICE_NUMBER_TAKEN".equals(Corrections.of(out.messages()).code())) {
        // A pass still running when this one looked created it: adopt that one.
        Optional<JsonNode> ours = invoiceNumbered(c, ext);
        if (ours.isPresent()) {
          ObjectNode link =
              linkInvoice(op, ext, body, ours.get(), WriteRequests.linesFingerprint(body));
          done.put(ext, succeeded(ext, ids(link), "Found in Xero after an unconfirmed send."));
          continue;
        }
      }
      done.put(ext, element(ext, Completion.rejected(out.messages())));
    }
  }

  /**
   * Invoice numbers joined for InvoiceNumbers= (our ids hold no commas), split so that no URL grows
   * past about 2,000 characters, as ids may be 255 long: usually one lookup per batch.
   */
  static List<String> lookupGroups(List<String> numbers) {
    List<String> groups = new ArrayList<>();
    StringBuilder group = new StringBuilder();
    for (String n : numbers) {
      if (group.length() > 0 && group.length() + n.length() + 1 > 1_500) {
        groups.add(group.toString());
        group.setLength(0);
      }
      group.append(group.length() == 0 ? "" : ",").append(n);
    }
    if (group.length() > 0) {
      groups.add(group.toString());
    }
    return groups;
  }

  private static Operation.Element succeeded(String ext, Map<String, String> ids, String note) {
    return new Operation.Element(
        ext, OperationState.SUCCEEDED, ids, note == null ? List.of() : List.of(note), null, null);
  }

  private static Operation.Element element(String ext, Completion c) {
    return new Operation.Element(ext, c.state(), c.ids(), c.messages(), c.code(), c.action());
  }

  /** The invoice Xero holds under our number (not deleted), looked up by InvoiceNumbers=. */
  private static Optional<JsonNode> invoiceNumbered(Call c, String number)
      throws XeroApiException, TokenRefreshException {
    for (JsonNode inv :
        c.lookup("Invoices?InvoiceNumbers=" + XeroWrites.encode(number)).path("Invoices")) {
      if (number.equals(inv.path("InvoiceNumber").asText())
          && !"DELETED".equals(inv.path("Status").asText())) {
        return Optional.of(inv);
      }
    }
    return Optional.empty();
  }

  private Completion invoiceVoid(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.INVOICE, op.externalId);
    if (link.isEmpty()) {
      return Completion.failed(
          "NOT_IN_XERO",
          "Invoice " + op.externalId + " was never pushed to Xero, so there is nothing to void.",
          "Nothing to do in Xero; if it should exist, push it first.");
    }
    String invoiceId = link.get().path("invoiceId").asText();
    if (op.operationId.equals(link.get().path("operationId").asText())) {
      return Completion.succeeded(Map.of("invoiceId", invoiceId));
    }
    if (op.ambiguous) {
      JsonNode now = c.lookup("Invoices/" + invoiceId).path("Invoices").path(0);
      if ("VOIDED".equals(now.path("Status").asText())) {
        linkInvoice(op, now, link.get().path("lines").asText());
        return Completion.succeeded(Map.of("invoiceId", invoiceId));
      }
    }
    ObjectNode el =
        Json.MAPPER.createObjectNode().put("InvoiceID", invoiceId).put("Status", "VOIDED");
    XeroWrites.Outcome out = c.write("POST", "Invoices/" + invoiceId, "Invoices", el, "void");
    if (out.rejected()) {
      Completion r = Completion.rejected(out.messages());
      return new Completion(
          r.state(),
          Map.of("invoiceId", invoiceId),
          r.messages(),
          r.code(),
          r.action(),
          r.actionUrl());
    }
    linkInvoice(op, out.element(), link.get().path("lines").asText());
    return Completion.succeeded(Map.of("invoiceId", invoiceId));
  }

  private Completion payment(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    JsonNode body = op.request;
    Optional<ObjectNode> paid = log.link(op.tenantId, OperationLog.PAYMENT, op.externalId);
    if (paid.isPresent()) {
      // This payment id was recorded before (a resend without our Idempotency-Key): never twice.
      return Completion.succeeded(
          Map.of(
              "paymentId", paid.get().path("paymentId").asText(),
              "invoiceId", paid.get().path("invoiceId").asText()));
    }
    Optional<ObjectNode> settings = log.settings(op.tenantId);
    if (settings.isEmpty() && setupPending(op.tenantId)) {
      return Completion.waitFor("The payment waits for the accounting set-up sent before it.");
    }
    if (settings.isEmpty()) {
      return Completion.failed(
          "SETUP_REQUIRED",
          "The accounting set-up is not done, so there is no account to pay into.",
          "Choose the account payments go into with PUT /tenants/{tenantId}/settings/accounting,"
              + " then send the payment again.");
    }
    Optional<ObjectNode> invoice = log.link(op.tenantId, OperationLog.INVOICE, op.parentExternalId);
    if (invoice.isEmpty()) {
      return Completion.failed(
          "NOT_IN_XERO",
          "Invoice " + op.parentExternalId + " is not in Xero (its push failed or was skipped).",
          "Push the invoice first, authorised, then send the payment again.");
    }
    String invoiceId = invoice.get().path("invoiceId").asText();
    String reference = op.externalId;
    if (op.ambiguous) {
      JsonNode inv = c.lookup("Invoices/" + invoiceId).path("Invoices").path(0);
      for (JsonNode p : inv.path("Payments")) {
        if (reference.equals(p.path("Reference").asText())) {
          // Adopted: linked like a payment we saw succeed, so a resend of this id is never sent.
          String paymentId = p.path("PaymentID").asText();
          log.putLink(
              op.tenantId,
              OperationLog.PAYMENT,
              op.externalId,
              Json.MAPPER
                  .createObjectNode()
                  .put("paymentId", paymentId)
                  .put("invoiceId", invoiceId));
          upsertRead(op, inv);
          return Completion.succeeded(Map.of("paymentId", paymentId, "invoiceId", invoiceId));
        }
      }
    }
    String account = WriteRequests.text(body, "accountCode");
    if (account == null) {
      account = settings.get().path("paymentAccountCode").asText();
    }
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.putObject("Invoice").put("InvoiceID", invoiceId);
    el.putObject("Account").put("Code", account);
    el.put("Date", body.path("date").asText(LocalDate.now(clock).toString()));
    el.set("Amount", body.get("amount"));
    el.put("Reference", reference);
    XeroWrites.Outcome out = c.write("PUT", "Payments", "Payments", el, "payment");
    if (out.rejected()) {
      return Completion.rejected(out.messages());
    }
    String paymentId = out.element().path("PaymentID").asText();
    ObjectNode link =
        Json.MAPPER.createObjectNode().put("paymentId", paymentId).put("invoiceId", invoiceId);
    log.putLink(op.tenantId, OperationLog.PAYMENT, op.externalId, link);
    readPayment(op, invoiceId, out.element());
    return Completion.succeeded(Map.of("paymentId", paymentId, "invoiceId", invoiceId));
  }

  private Completion deposit(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    JsonNode body = op.request;
    Optional<ObjectNode> posted = log.link(op.tenantId, OperationLog.DEPOSIT, op.externalId);
    if (posted.isPresent()) {
      return Completion.succeeded(
          Map.of("bankTransactionId", posted.get().path("bankTransactionId").asText()));
    }
    Optional<ObjectNode> settings = log.settings(op.tenantId);
    String bank = settings.map(s -> s.path("depositAccountCode").asText(null)).orElse(null);
    if (bank == null && setupPending(op.tenantId)) {
      return Completion.waitFor("The deposit waits for the accounting set-up sent before it.");
    }
    if (bank == null) {
      return Completion.failed(
          "SETUP_REQUIRED",
          "No bank account for deposits is set up.",
          "Choose depositAccountCode with PUT /tenants/{tenantId}/settings/accounting, then send"
              + " the deposit again.");
    }
    String reference = op.externalId;
    if (op.ambiguous) {
      JsonNode found =
          c.lookup("BankTransactions?where=" + XeroWrites.whereEquals("Reference", reference))
              .path("BankTransactions");
      for (JsonNode t : found) {
        if (reference.equals(t.path("Reference").asText())
            && !"DELETED".equals(t.path("Status").asText())) {
          log.putLink(
              op.tenantId,
              OperationLog.DEPOSIT,
              op.externalId,
              Json.MAPPER
                  .createObjectNode()
                  .put("bankTransactionId", t.path("BankTransactionID").asText()));
          return Completion.succeeded(
              Map.of("bankTransactionId", t.path("BankTransactionID").asText()));
        }
      }
    }
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.put("Type", "RECEIVE");
    el.putObject("BankAccount").put("Code", bank);
    if (body.hasNonNull("contact")) {
      ContactResult cr = ensureContact(c, body.get("contact"), false);
      if (cr.problem != null) {
        return cr.problem;
      }
      el.putObject("Contact").put("ContactID", cr.contactId);
    }
    el.put("Date", body.path("date").asText(LocalDate.now(clock).toString()));
    el.put("Reference", reference);
    el.put("LineAmountTypes", body.path("lineAmountTypes").asText("NoTax"));
    ObjectNode line = el.putArray("LineItems").addObject();
    line.put("Description", body.path("description").asText("Deposit " + reference));
    line.put("Quantity", 1);
    line.set("UnitAmount", body.get("amount"));
    line.put("AccountCode", body.path("accountCode").asText());
    if (body.hasNonNull("taxType")) {
      line.put("TaxType", body.get("taxType").asText());
    }
    XeroWrites.Outcome out = c.write("PUT", "BankTransactions", "BankTransactions", el, "deposit");
    if (out.rejected()) {
      return Completion.rejected(out.messages());
    }
    String id = out.element().path("BankTransactionID").asText();
    log.putLink(
        op.tenantId,
        OperationLog.DEPOSIT,
        op.externalId,
        Json.MAPPER.createObjectNode().put("bankTransactionId", id));
    return Completion.succeeded(Map.of("bankTransactionId", id));
  }

  private Completion contactUpsert(Call c) throws XeroApiException, TokenRefreshException {
    ObjectNode contact = ((ObjectNode) c.op.request.deepCopy()).put("externalId", c.op.externalId);
    ContactResult r = ensureContact(c, contact, true);
    if (r.problem != null) {
      return r.problem;
    }
    return Completion.succeeded(Map.of("contactId", r.contactId));
  }

  /** The account codes are checked against the organisation's Accounts before they are kept. */
  private Completion settings(Call c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op;
    JsonNode accounts = c.lookup("Accounts").path("Accounts");
    ObjectNode reference = log.reference(op.tenantId).orElse(Json.MAPPER.createObjectNode());
    reference.set("accounts", accounts);
    reference.put("accountsFetchedAt", clock.instant().toString());
    cacheOptional(c, reference, "TaxRates", "taxRates");
    cacheOptional(c, reference, "Currencies", "currencies");
    JsonNode org = c.lookup("Organisation").path("Organisations").path(0);
    String lock =
        latest(org.path("PeriodLockDate").asText(null), org.path("EndOfYearLockDate").asText(null));
    if (lock != null) {
      reference.put("lockDate", lock);
    }
    log.putReference(op.tenantId, reference);
    List<String> problems = new ArrayList<>();
    String pay = op.request.path("paymentAccountCode").asText();
    JsonNode payAccount = account(accounts, pay);
    if (payAccount == null) {
      problems.add("Account code " + pay + " is not an active account of the organisation.");
    } else if (!"BANK".equals(payAccount.path("Type").asText())
        && !payAccount.path("EnablePaymentsToAccount").asBoolean(false)) {
      problems.add(
          "Account "
              + pay
              + " ("
              + payAccount.path("Name").asText()
              + ") takes no payments: choose a bank account, or a current asset such as"
              + " 'Undeposited Funds' with 'Enable payments to this account' ticked.");
    }
    String deposit = op.request.path("depositAccountCode").asText(null);
    if (deposit != null) {
      JsonNode d = account(accounts, deposit);
      if (d == null || !"BANK".equals(d.path("Type").asText())) {
        problems.add(
            "Account code " + deposit + " is not an active bank account of the organisation.");
      }
    }
    if (!problems.isEmpty()) {
      return new Completion(
          OperationState.FAILED,
          Map.of(),
          problems,
          "ACCOUNT_INVALID",
          "Choose accounts from the organisation's chart of accounts (Settings > Chart of accounts)"
              + " and send the set-up again.",
          null);
    }
    ObjectNode settings = ((ObjectNode) op.request.deepCopy());
    settings.put("paymentAccountId", payAccount.path("AccountID").asText());
    settings.put("validatedAt", clock.instant().toString());
    log.putSettings(op.tenantId, settings);
    return Completion.succeeded(Map.of("paymentAccountId", payAccount.path("AccountID").asText()));
  }

  /** Reference data the dry run uses; an endpoint this Xero does not serve is left out. */
  private static void cacheOptional(Call c, ObjectNode reference, String endpoint, String field)
      throws XeroApiException, TokenRefreshException {
    try {
      reference.set(field, c.lookup(endpoint).path(endpoint));
    } catch (XeroApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** The later of two lock dates (Xero sends them as /Date(ms)/ or ISO dates), as YYYY-MM-DD. */
  static String latest(String a, String b) {
    LocalDate x = lockDate(a);
    LocalDate y = lockDate(b);
    if (x == null) {
      return y == null ? null : y.toString();
    }
    return (y == null || x.isAfter(y) ? x : y).toString();
  }

  private static LocalDate lockDate(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    if (s.startsWith("/Date(")) {
      long ms = Long.parseLong(s.replaceAll("/Date\\((-?\\d+).*", "$1"));
      return java.time.Instant.ofEpochMilli(ms).atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }
    return LocalDate.parse(s.substring(0, 10));
  }

  private static JsonNode account(JsonNode accounts, String code) {
    for (JsonNode a : accounts) {
      if (code != null
          && code.equals(a.path("Code").asText())
          && "ACTIVE".equals(a.path("Status").asText("ACTIVE"))) {
        return a;
      }
    }
    return null;
  }

  // ---- contacts

  private record ContactResult(String contactId, Completion problem) {}

  /**
   * The Xero contact for our customer: the linked one, else the one whose ContactNumber is our id
   * (following a merge), else a new one. An archived contact is never replaced.
   */
  private ContactResult ensureContact(Call c, JsonNode contact, boolean updateOwnedFields)
      throws XeroApiException, TokenRefreshException {
    return ensureContact(c, contact, updateOwnedFields, null);
  }

  /**
   * {@code refused} is Xero's answer to our create when another write (in another lane) may have
   * created the same customer a moment before: look again, and link that one or give that answer.
   */
  private ContactResult ensureContact(
      Call c, JsonNode contact, boolean updateOwnedFields, List<String> refused)
      throws XeroApiException, TokenRefreshException {
    boolean retried = refused != null;
    Operation op = c.op;
    String xeroId = contact.path("xeroContactId").asText(null);
    if (xeroId != null) {
      return new ContactResult(xeroId, null);
    }
    String ext = contact.path("externalId").asText();
    Optional<ObjectNode> link = log.link(op.tenantId, OperationLog.CONTACT, ext);
    if (link.isPresent() && !updateOwnedFields && !retried) {
      return new ContactResult(link.get().path("contactId").asText(), null);
    }
    JsonNode found = null;
    if (link.isPresent()) {
      found =
          c.lookup("Contacts/" + link.get().path("contactId").asText()).path("Contacts").path(0);
    } else {
      // Always looked up before a create: it links a contact made in Xero, and it is the
      // reconciliation after an ambiguous create.
      for (JsonNode n :
          c.lookup(
                  "Contacts?includeArchived=true&where="
                      + XeroWrites.whereEquals("ContactNumber", ext))
              .path("Contacts")) {
        if (ext.equals(n.path("ContactNumber").asText())) {
          found = n;
          break;
        }
      }
    }
    if (found != null && !found.isMissingNode()) {
      String merged = found.path("MergedToContactID").asText("");
      if (!merged.isEmpty() && !merged.startsWith("00000000")) {
        JsonNode target = c.lookup("Contacts/" + merged).path("Contacts").path(0);
        if (!target.isMissingNode()) {
          found = target;
        }
      }
      String contactId = found.path("ContactID").asText();
      if ("ARCHIVED".equals(found.path("ContactStatus").asText())) {
        return new ContactResult(
            null,
            new Completion(
                OperationState.NEEDS_ATTENTION,
                Map.of("contactId", contactId),
                List.of("The contact " + found.path("Name").asText() + " is archived in Xero."),
                "CONTACT_ARCHIVED",
                "Restore the contact in Xero (open it and choose Restore), then send the write"
                    + " again. Nothing was created in its place.",
                "https://go.xero.com/Contacts/View/" + contactId));
      }
      if (updateOwnedFields) {
        ObjectNode el = contactElement(contact, ext);
        el.put("ContactID", contactId);
        XeroWrites.Outcome out =
            c.write("POST", "Contacts/" + contactId, "Contacts", el, "contact-update");
        if (out.rejected()) {
          return new ContactResult(null, Completion.rejected(out.messages()));
        }
      }
      linkContact(op, ext, contactId);
      return new ContactResult(contactId, null);
    }
    if (retried) {
      return new ContactResult(null, Completion.rejected(refused));
    }
    if (!contact.hasNonNull("name")) {
      return new ContactResult(
          null,
          Completion.failed(
              "CONTACT_REQUIRED",
              "No Xero contact has contact number "
                  + ext
                  + ", and no name was given to create one.",
              "Send contact.name with the first write for a new customer."));
    }
    XeroWrites.Outcome out =
        c.write(
            "PUT",
            "Contacts",
            "Contacts",
            contactElement(contact, ext),
            // Per customer: a history push creates several under one operation, and Xero answers
            // a key it has seen with the first answer.
            "contact-create-" + Outbox.hash(ext).substring(0, 16));
    if (out.rejected()) {
      String code = Corrections.of(out.messages()).code();
      if (code.equals("CONTACT_NUMBER_TAKEN") || code.equals("CONTACT_NAME_TAKEN")) {
        // Another write for the same customer may have created it a moment ago: link that one.
        return ensureContact(c, contact, updateOwnedFields, out.messages());
      }
      return new ContactResult(null, Completion.rejected(out.messages()));
    }
    String contactId = out.element().path("ContactID").asText();
    linkContact(op, ext, contactId);
    return new ContactResult(contactId, null);
  }

  /** The fields we own on a contact; everything else in Xero is left as it is. */
  private static ObjectNode contactElement(JsonNode contact, String ext) {
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.put("Name", contact.path("name").asText());
    el.put("ContactNumber", ext);
    if (contact.hasNonNull("firstName")) {
      el.put("FirstName", contact.get("firstName").asText());
    }
    if (contact.hasNonNull("lastName")) {
      el.put("LastName", contact.get("lastName").asText());
    }
    if (contact.hasNonNull("email")) {
      el.put("EmailAddress", contact.get("email").asText());
    }
    return el;
  }

  private void linkContact(Operation op, String ext, String contactId) {
    log.putLink(
        op.tenantId,
        OperationLog.CONTACT,
        ext,
        Json.MAPPER.createObjectNode().put("contactId", contactId));
  }

  // ---- invoices

  private ObjectNode linkInvoice(Operation op, JsonNode xeroInvoice, String lines) {
    return linkInvoice(op, op.externalId, op.request, xeroInvoice, lines);
  }

  /** Links our invoice id {@code ext}, sent as {@code body}, to the invoice Xero holds. */
  private ObjectNode linkInvoice(
      Operation op, String ext, JsonNode body, JsonNode xeroInvoice, String lines) {
    String contactExt = body.path("contact").path("externalId").asText(null);
    Optional<ObjectNode> old = log.link(op.tenantId, OperationLog.INVOICE, ext);
    ObjectNode link = Json.MAPPER.createObjectNode();
    link.put("invoiceId", xeroInvoice.path("InvoiceID").asText());
    link.put("status", xeroInvoice.path("Status").asText());
    link.put("operationId", op.operationId);
    link.put("lines", lines);
    link.put("contactId", xeroInvoice.path("Contact").path("ContactID").asText());
    if (contactExt == null && old.isPresent()) {
      contactExt = old.get().path("contactExternalId").asText(null);
    }
    if (contactExt != null) {
      link.put("contactExternalId", contactExt);
    }
    log.putLink(op.tenantId, OperationLog.INVOICE, ext, link);
    upsertRead(op, xeroInvoice);
    return link;
  }

  /** Read-your-write: the query API shows what Xero answered without waiting for the webhook. */
  private void upsertRead(Operation op, JsonNode xeroInvoice) {
    if (invoices == null || !xeroInvoice.has("UpdatedDateUTC")) {
      return;
    }
    try {
      invoices.upsert(op.tenantId, XeroInvoice.fromJson(xeroInvoice));
    } catch (RuntimeException e) {
      // The webhook and reconciliation bring it anyway; the write itself succeeded.
      LOG.warn("invoice not copied to the read side", "error", e.getClass().getSimpleName());
    }
  }

  /**
   * Read-your-write for a payment: Xero's answer names the invoice but not its new amounts, so the
   * stored invoice gets the payment applied here, dated a millisecond before the payment. Xero's
   * own invoice after the payment is at least as new as the payment, so the sync's copy replaces
   * this one; a later invoice already stored is left alone.
   */
  private void readPayment(Operation op, String invoiceId, JsonNode payment) {
    if (invoices == null) {
      return;
    }
    try {
      Optional<XeroInvoice> stored = invoices.get(op.tenantId, invoiceId);
      Instant paidAt = XeroDates.instant(payment.path("UpdatedDateUTC").asText(null));
      BigDecimal amount = new BigDecimal(payment.path("Amount").asText("0"));
      String paymentId = payment.path("PaymentID").asText();
      if (stored.isEmpty() || paidAt == null || amount.signum() <= 0) {
        return;
      }
      XeroInvoice inv = stored.get();
      Instant version = paidAt.minusMillis(1);
      if (!version.isAfter(inv.updatedDateUtc())
          || inv.payments().stream().anyMatch(p -> paymentId.equals(p.paymentId()))) {
        return;
      }
      LocalDate date = XeroDates.date(null, payment.path("Date").asText(null));
      BigDecimal due = inv.amountDue().subtract(amount).max(BigDecimal.ZERO);
      boolean paid = due.signum() == 0;
      List<XeroPayment> payments = new ArrayList<>(inv.payments());
      payments.add(new XeroPayment(paymentId, date, amount, payment.path("Reference").asText()));
      invoices.upsert(
          op.tenantId,
          new XeroInvoice(
              inv.invoiceId(),
              inv.invoiceNumber(),
              inv.reference(),
              inv.type(),
              paid ? "PAID" : inv.status(),
              inv.contactId(),
              inv.contactName(),
              inv.date(),
              inv.dueDate(),
              inv.currencyCode(),
              inv.subTotal(),
              inv.totalTax(),
              inv.total(),
              due,
              inv.amountPaid().add(amount),
              inv.amountCredited(),
              paid ? date : inv.fullyPaidOnDate(),
              version,
              List.copyOf(payments),
              inv.allocations()));
    } catch (RuntimeException e) {
      // The webhook and reconciliation bring it anyway; the payment itself succeeded.
      LOG.warn("payment not copied to the read side", "error", e.getClass().getSimpleName());
    }
  }

  private static Map<String, String> ids(ObjectNode link) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("invoiceId", link.path("invoiceId").asText());
    ids.put("status", link.path("status").asText());
    if (!link.path("contactId").asText().isEmpty()) {
      ids.put("contactId", link.path("contactId").asText());
    }
    return ids;
  }

  // ---- calls to Xero for one operation

  /** Counts every call against the operation and refreshes a refused token once. */
  private final class Call {
    final Operation op;

    Call(Operation op) {
      this.op = op;
    }

    JsonNode lookup(String pathAndQuery) throws XeroApiException, TokenRefreshException {
      op.reconcileLookups++;
      return access.call(
          op.tenantId, token -> xero.read(pathAndQuery, op.tenantId, token), () -> op.xeroCalls++);
    }

    XeroWrites.Outcome write(
        String method, String path, String collection, JsonNode element, String step)
        throws XeroApiException, TokenRefreshException {
      return writeAll(method, path, collection, List.of(element), step).get(0);
    }

    List<XeroWrites.Outcome> writeAll(
        String method,
        String path,
        String collection,
        List<? extends JsonNode> elements,
        String step)
        throws XeroApiException, TokenRefreshException {
      String key = op.operationId + "-" + op.keyGeneration + "-" + step;
      return access.call(
          op.tenantId,
          token -> xero.writeAll(method, path, collection, elements, op.tenantId, token, key),
          () -> op.xeroCalls++);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
