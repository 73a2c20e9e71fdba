package dev.xerosync.infra.xero.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.ContactDetails;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Payment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Changes a person makes in Xero's web app, over HTTP: each goes through {@link SimOrganisation},
 * so it follows the ledger's rules (refusals in Xero's words) and raises the webhooks Xero would.
 */
final class BooksControl {
  private static final List<String> NEW_STATUSES =
      List.of(Invoice.DRAFT, Invoice.SUBMITTED, Invoice.AUTHORISED);
  private static final List<String> STATUS_CHANGES =
      List.of(Invoice.SUBMITTED, Invoice.AUTHORISED, Invoice.VOIDED, Invoice.DELETED);

  private final XeroSimulator sim;

  BooksControl(XeroSimulator sim) {
    this.sim = sim;
  }

  // ---- contacts

  /** {@code {"name":"Acme","contactNumber":"crm-42"}} */
  SimResponse createContact(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "name", "contactNumber");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = org.createContact(body.text("name"), body.optionalText("contactNumber"));
    return SimResponse.json(201, contact(org.contact(id)));
  }

  /** {@code {"name":"Acme Ltd","email":"ap@acme.test"}}: as editing the contact in Xero. */
  SimResponse editContact(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "name", "email");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = existingContact(org, req.pathParams().get(1));
    if (!body.has("name") && !body.has("email")) {
      throw ControlProblem.badRequest("give name, email or both");
    }
    org.editContact(id, body.optionalText("name"), body.optionalText("email"), ContactDetails.NONE);
    return SimResponse.json(200, contact(org.contact(id)));
  }

  SimResponse archiveContact(SimRequest req) {
    ControlBody.parse(req);
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = existingContact(org, req.pathParams().get(1));
    org.archiveContact(id);
    return SimResponse.json(200, contact(org.contact(id)));
  }

  SimResponse restoreContact(SimRequest req) {
    ControlBody.parse(req);
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = existingContact(org, req.pathParams().get(1));
    org.restoreContact(id);
    return SimResponse.json(200, contact(org.contact(id)));
  }

  /** {@code {"into":"<kept ContactID>"}}: the path's contact is merged away into the kept one. */
  SimResponse mergeContact(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "into");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String merged = existingContact(org, req.pathParams().get(1));
    String kept = existingContact(org, body.text("into"));
    if (merged.equals(kept)) {
      throw ControlProblem.badRequest("a contact cannot be merged into itself");
    }
    org.mergeContacts(merged, kept);
    return SimResponse.json(200, contact(org.contact(merged)));
  }

  // ---- settings

  /** {@code {"code":"USD"}}: subscribes the organisation to a currency. */
  SimResponse subscribeCurrency(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "code");
    SimOrganisation org = ControlApi.organisation(sim, req);
    org.subscribeCurrency(body.currency("code"));
    return SimResponse.json(200, StateControl.organisation(org));
  }

  /** {@code {"period":"2026-01-31","endOfYear":null}}: both replaced; a missing one is cleared. */
  SimResponse lockDates(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "period", "endOfYear");
    SimOrganisation org = ControlApi.organisation(sim, req);
    LocalDate period = body.optionalDate("period");
    LocalDate endOfYear = body.optionalDate("endOfYear");
    org.lockDates(period, endOfYear);
    ObjectNode n = XeroJson.object();
    n.put("period", period == null ? null : period.toString());
    n.put("endOfYear", endOfYear == null ? null : endOfYear.toString());
    return SimResponse.json(200, n);
  }

  // ---- invoices and payments

  /**
   * {@code {"contactId":..., "total":"120.00", "date":..., "dueDate":..., "number":...,
   * "currency":..., "status":"AUTHORISED"}}: an ACCREC invoice with one tax-free line; date
   * defaults to the organisation's today, dueDate to 30 days later, status to AUTHORISED.
   */
  SimResponse createInvoice(SimRequest req) {
    ControlBody body =
        ControlBody.parse(
            req, "contactId", "total", "date", "dueDate", "number", "currency", "status");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String contactId = existingContact(org, body.text("contactId"));
    BigDecimal total = body.money("total");
    LocalDate date = body.has("date") ? body.date("date") : today(org);
    LocalDate due = body.has("dueDate") ? body.date("dueDate") : date.plusDays(30);
    String currency = body.has("currency") ? body.currency("currency") : null;
    String status = body.has("status") ? body.choice("status", NEW_STATUSES) : Invoice.AUTHORISED;
    String id =
        org.createDraftInvoice(contactId, body.optionalText("number"), date, due, total, currency);
    if (!status.equals(Invoice.DRAFT)) {
      if (status.equals(Invoice.SUBMITTED)) {
        org.submit(id);
      } else {
        org.authorise(id);
      }
    }
    return SimResponse.json(201, invoice(org.invoice(id)));
  }

  /** {@code {"status":"VOIDED"}}: SUBMITTED, AUTHORISED, VOIDED or DELETED, by Xero's rules. */
  SimResponse invoiceStatus(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "status");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = existingInvoice(org, req.pathParams().get(1));
    switch (body.choice("status", STATUS_CHANGES)) {
      case Invoice.SUBMITTED -> org.submit(id);
      case Invoice.AUTHORISED -> org.authorise(id);
      case Invoice.VOIDED -> org.voidInvoice(id);
      default -> org.delete(id);
    }
    return SimResponse.json(200, invoice(org.invoice(id)));
  }

  /**
   * {@code {"invoiceId":..., "amount":"50.00", "date":..., "reference":...}} into the main bank.
   */
  SimResponse pay(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "invoiceId", "amount", "date", "reference");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String invoiceId = existingInvoice(org, body.text("invoiceId"));
    BigDecimal amount = body.money("amount");
    LocalDate date = body.has("date") ? body.date("date") : today(org);
    String reference = body.has("reference") ? body.text("reference") : "";
    String id = org.pay(invoiceId, amount, date, reference);
    return SimResponse.json(201, payment(org, id));
  }

  SimResponse reversePayment(SimRequest req) {
    ControlBody.parse(req);
    SimOrganisation org = ControlApi.organisation(sim, req);
    String id = req.pathParams().get(1);
    payment(org, id);
    org.reversePayment(id);
    return SimResponse.json(200, payment(org, id));
  }

  // ---- credit notes

  /**
   * {@code {"invoiceId":..., "amount":..., "date":...}} raises an AUTHORISED credit note for the
   * invoice's contact allocated in full to it; {@code "contactId"} instead leaves it unallocated.
   */
  SimResponse creditNote(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "invoiceId", "contactId", "amount", "date");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String against = body.oneOf("invoiceId", "contactId");
    BigDecimal amount = body.money("amount");
    LocalDate date = body.has("date") ? body.date("date") : today(org);
    String id =
        against.equals("invoiceId")
            ? org.creditNote(existingInvoice(org, body.text("invoiceId")), amount, date)
            : org.creditNoteFor(existingContact(org, body.text("contactId")), amount, date);
    return SimResponse.json(201, credit(org, id));
  }

  /** {@code {"invoiceId":..., "amount":..., "date":...}}: applies part of a credit note. */
  SimResponse allocate(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "invoiceId", "amount", "date");
    SimOrganisation org = ControlApi.organisation(sim, req);
    String creditId = req.pathParams().get(1);
    Credit c = org.credit(creditId);
    if (c == null || c.kind() != Credit.Kind.CREDITNOTE) {
      throw ControlProblem.notFound("no credit note " + creditId);
    }
    String invoiceId = existingInvoice(org, body.text("invoiceId"));
    LocalDate date = body.has("date") ? body.date("date") : today(org);
    String allocationId = org.allocate(creditId, invoiceId, body.money("amount"), date);
    ObjectNode n = credit(org, creditId);
    n.put("allocationId", allocationId);
    return SimResponse.json(201, n);
  }

  // ---- lookups and answers

  private static String existingContact(SimOrganisation org, String id) {
    if (org.contact(id) == null) {
      throw ControlProblem.notFound("no contact " + id);
    }
    return org.contact(id).contactId();
  }

  private static String existingInvoice(SimOrganisation org, String id) {
    if (org.invoice(id) == null) {
      throw ControlProblem.notFound("no invoice " + id);
    }
    return org.invoice(id).invoice().invoiceId();
  }

  private LocalDate today(SimOrganisation org) {
    return LocalDate.ofInstant(sim.clock().instant(), org.timezone());
  }

  private static ObjectNode contact(Contact c) {
    ObjectNode n =
        XeroJson.object()
            .put("contactId", c.contactId())
            .put("name", c.name())
            .put("status", c.status())
            .put("contactNumber", c.contactNumber())
            .put("email", c.emailAddress())
            .put("mergedToContactId", c.mergedToContactId());
    return n;
  }

  private static ObjectNode invoice(InvoiceView v) {
    Invoice i = v.invoice();
    return XeroJson.object()
        .put("invoiceId", i.invoiceId())
        .put("invoiceNumber", i.invoiceNumber())
        .put("contactId", i.contactId())
        .put("status", i.status())
        .put("currency", i.currencyCode())
        .put("date", i.date().toString())
        .put("dueDate", i.dueDate() == null ? null : i.dueDate().toString())
        .put("total", i.total())
        .put("amountPaid", v.amountPaid())
        .put("amountCredited", v.amountCredited())
        .put("amountDue", v.amountDue());
  }

  private static ObjectNode payment(SimOrganisation org, String paymentId) {
    Payment p =
        org.payments().stream()
            .filter(x -> x.paymentId().equalsIgnoreCase(paymentId))
            .findFirst()
            .orElseThrow(() -> ControlProblem.notFound("no payment " + paymentId));
    return XeroJson.object()
        .put("paymentId", p.paymentId())
        .put("invoiceId", p.invoiceId())
        .put("amount", p.amount())
        .put("date", p.date().toString())
        .put("status", p.status());
  }

  private static ObjectNode credit(SimOrganisation org, String creditId) {
    Credit c = org.credit(creditId);
    return XeroJson.object()
        .put("creditNoteId", c.creditId())
        .put("contactId", c.contactId())
        .put("status", c.status())
        .put("total", c.total())
        .put("remainingCredit", org.remainingCredit(creditId));
  }
}
