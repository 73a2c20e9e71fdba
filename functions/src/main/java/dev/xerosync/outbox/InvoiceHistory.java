package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * POST /history/invoices: creates the push's invoices 50 to a request. An invoice we already linked
 * is not sent again; after an ambiguous batch (or a pass that died while sending) the batch's
 * invoices are looked up by InvoiceNumbers= and adopted before anything is resent. Each invoice
 * ends with its own state; the push succeeds when all of them did.
 */
final class InvoiceHistory implements OperationWrite {
  /** Xero's guidance for a write request: at most 50 elements. */
  static final int BATCH = 50;

  private static final String FOUND = "Found in Xero after an unconfirmed send.";

  private final OperationLog log;
  private final InvoiceLinks links;
  private final ContactLinks contacts;
  private final Clock clock;

  InvoiceHistory(OperationLog log, InvoiceLinks links, ContactLinks contacts, Clock clock) {
    this.log = log;
    this.links = links;
    this.contacts = contacts;
    this.clock = clock;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    Map<String, Operation.Element> done = new LinkedHashMap<>();
    op.elements.forEach(e -> done.put(e.externalId(), e));
    List<JsonNode> pending = new ArrayList<>();
    for (JsonNode invoice : op.request.path("invoices")) {
      String ext = invoice.path("invoiceId").asText();
      if (done.containsKey(ext)) {
        continue;
      }
      Optional<ObjectNode> link = links.find(op.tenantId, ext);
      if (link.isPresent()) {
        done.put(
            ext, succeeded(ext, InvoiceLinks.ids(link.get()), "Already in Xero: not sent again."));
      } else {
        pending.add(invoice);
      }
    }
    op.elements = new ArrayList<>(done.values());
    List<Completion> waiting = new ArrayList<>();
    for (int from = 0; from < pending.size(); from += BATCH) {
      pushBatch(c, pending.subList(from, Math.min(pending.size(), from + BATCH)), done, waiting);
      op.elements = new ArrayList<>(done.values());
      // Progress shows in GET /operations/{id}; the links, not this, keep a resend from happening.
      log.save(op, clock.instant());
    }
    if (!waiting.isEmpty()) {
      // An invoice whose customer another write is still creating waits for it, as a deposit
      // does: the push is held (the others are in Xero and kept) and comes back for it.
      return waiting.get(0);
    }
    List<Operation.Element> ordered = new ArrayList<>();
    for (JsonNode invoice : op.request.path("invoices")) {
      ordered.add(done.get(invoice.path("invoiceId").asText()));
    }
    op.elements = ordered;
    return summary(ordered);
  }

  private static Completion summary(List<Operation.Element> ordered) {
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
    return new Completion(
        ok == 0 ? OperationState.FAILED : OperationState.NEEDS_ATTENTION,
        Map.of(),
        List.of(summary),
        ok == 0 ? "HISTORY_REFUSED" : "SOME_INVOICES_REFUSED",
        action,
        null);
  }

  private void pushBatch(
      XeroCall c,
      List<JsonNode> batch,
      Map<String, Operation.Element> done,
      List<Completion> waiting)
      throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    Map<String, JsonNode> toSend = new LinkedHashMap<>();
    batch.forEach(inv -> toSend.put(inv.path("invoiceId").asText(), inv));
    if (op.ambiguous) {
      // An earlier send of this batch may have reached Xero: adopt what it created.
      for (Map.Entry<String, JsonNode> found :
          InvoiceByNumber.findAll(c, List.copyOf(toSend.keySet())).entrySet()) {
        String ext = found.getKey();
        JsonNode ours =
            Objects.requireNonNull(toSend.remove(ext), "findAll answers only numbers it was asked");
        ObjectNode link =
            links.link(op, ext, ours, found.getValue(), XeroInvoiceElement.linesFingerprint(ours));
        done.put(ext, succeeded(ext, InvoiceLinks.ids(link), FOUND));
      }
    }
    String defaultStatus = null;
    List<String> numbers = new ArrayList<>();
    List<ObjectNode> elements = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : toSend.entrySet()) {
      JsonNode body = e.getValue();
      ContactLinks.Result contact = contacts.ensure(c, body.get("contact"), false);
      if (contact.problem() != null) {
        Completion p = contact.problem();
        if (p.state() == OperationState.QUEUED) {
          waiting.add(p);
        } else {
          done.put(e.getKey(), element(e.getKey(), p));
        }
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
      elements.add(
          XeroInvoiceElement.of(body, e.getKey(), contact.contactId(), status, true, null));
    }
    if (elements.isEmpty()) {
      return;
    }
    // The key names this batch's content: a batch re-formed after adoptions gets a key of its own.
    String step = "history-" + Outbox.hash(String.join(",", numbers)).substring(0, 16);
    List<XeroWrites.Outcome> outcomes = c.writeAll("PUT", "Invoices", "Invoices", elements, step);
    for (int i = 0; i < outcomes.size(); i++) {
      String ext = numbers.get(i);
      JsonNode body = Objects.requireNonNull(toSend.get(ext), "numbers are toSend's keys");
      XeroWrites.Outcome out = outcomes.get(i);
      String lines = XeroInvoiceElement.linesFingerprint(body);
      if (out.accepted()) {
        ObjectNode link = links.link(op, ext, body, out.saved(), lines);
        done.put(
            ext,
            element(
                ext,
                Completion.succeeded(InvoiceLinks.ids(link))
                    .warning(WriteRules.differences(body, out.saved()))));
        continue;
      }
      if (op.ambiguous && "INVOICE_NUMBER_TAKEN".equals(Corrections.of(out.messages()).code())) {
        // A pass still running when this one looked created it: adopt that one.
        Optional<JsonNode> ours = InvoiceByNumber.find(c, ext);
        if (ours.isPresent()) {
          ObjectNode link = links.link(op, ext, body, ours.get(), lines);
          done.put(ext, succeeded(ext, InvoiceLinks.ids(link), FOUND));
          continue;
        }
      }
      done.put(ext, element(ext, Completion.rejected(out.messages())));
    }
  }

  private static Operation.Element succeeded(String ext, Map<String, String> ids, String note) {
    return new Operation.Element(
        ext, OperationState.SUCCEEDED, ids, note == null ? List.of() : List.of(note), null, null);
  }

  private static Operation.Element element(String ext, Completion c) {
    return new Operation.Element(ext, c.state(), c.ids(), c.messages(), c.code(), c.action());
  }
}
