package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceEdit;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.NewInvoice;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PUT /Invoices (create) and POST /Invoices, POST /Invoices/{id} (create or update). An element
 * naming an existing invoice (InvoiceID, or InvoiceNumber on POST) updates it: Status moves along
 * Xero's transitions (VOIDED and DELETED included); number, reference, dates and line items may
 * change until it is paid, voided or deleted (line items only while nothing is paid or credited).
 * Otherwise a new invoice is created; a Contact given only by Name is matched to an existing
 * contact or created, as Xero does.
 */
public final class PutInvoices implements AccountingOperation {
  private final Clock clock;
  private final boolean post;

  /**
   * Invoice.Type's enum in the spec: any other value is not an InvoiceType at all (read without
   * regard to case, as Xero's JSON reader reads enums).
   */
  private static final java.util.Set<String> INVOICE_TYPES =
      java.util.Set.of(
          "ACCPAY",
          "ACCPAYCREDIT",
          "APOVERPAYMENT",
          "APPREPAYMENT",
          "ACCREC",
          "ACCRECCREDIT",
          "AROVERPAYMENT",
          "ARPREPAYMENT");

  public PutInvoices(Clock clock, boolean post) {
    this.clock = clock;
    this.post = post;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "Invoices");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    for (int k = 0; k < elements.size(); k++) {
      String type = BatchWrite.text(elements.get(k), "Type");
      if (type != null && !INVOICE_TYPES.contains(type.toUpperCase(java.util.Locale.ROOT))) {
        return Problems.postDataInvalid(
            XeroMessages.notConvertible(type, "InvoiceType", "Invoices[" + k + "].Type"));
      }
    }
    String pathId =
        call.request().pathParams().isEmpty() ? null : call.request().pathParams().getFirst();
    Ledger ledger = call.ledger();
    List<BatchWrite.Item> items = new ArrayList<>();
    for (ObjectNode el : elements) {
      Invoice existing = find(ledger, el, pathId);
      items.add(
          existing != null || (pathId != null)
              ? update(call, el, existing, pathId)
              : create(call, el));
    }
    if (items.isEmpty()) {
      return Problems.validation("No Invoices were provided.");
    }
    return BatchWrite.run(call, clock, "Invoices", items);
  }

  private Invoice find(Ledger ledger, ObjectNode el, String pathId) {
    String id = pathId != null ? pathId : BatchWrite.text(el, "InvoiceID");
    if (id != null) {
      return ledger.invoice(id.toLowerCase(Locale.ROOT));
    }
    String number = BatchWrite.text(el, "InvoiceNumber");
    return post && number != null ? ledger.invoiceByNumber(number) : null;
  }

  private BatchWrite.Item update(
      AccountingCall call, ObjectNode el, Invoice existing, String pathId) {
    Ledger ledger = call.ledger();
    return new BatchWrite.Item() {
      InvoiceEdit edit() {
        List<NewInvoice.Line> lines = el.has("LineItems") ? lines(el) : null;
        String number = BatchWrite.text(el, "InvoiceNumber");
        return new InvoiceEdit(
            number != null && !number.equals(existing.invoiceNumber()) ? number : null,
            BatchWrite.text(el, "Reference"),
            BatchWrite.date(el, "Date"),
            BatchWrite.date(el, "DueDate"),
            BatchWrite.text(el, "LineAmountTypes"),
            lines);
      }

      public List<String> validate() {
        if (existing == null) {
          return List.of(XeroMessages.invoiceNotFound(pathId));
        }
        List<String> errors = new ArrayList<>();
        InvoiceEdit edit;
        try {
          edit = edit();
        } catch (RuntimeException e) {
          return List.of(XeroMessages.DATE_NOT_VALID);
        }
        if (!edit.isEmpty()) {
          errors.addAll(ledger.checkEdit(existing.invoiceId(), edit));
        }
        String status = BatchWrite.text(el, "Status");
        if (errors.isEmpty() && status != null) {
          errors.addAll(ledger.checkTransition(existing.invoiceId(), status));
        }
        return errors;
      }

      public ObjectNode apply() {
        InvoiceEdit edit = edit();
        if (!edit.isEmpty()) {
          ledger.updateInvoice(existing.invoiceId(), edit);
        }
        String status = BatchWrite.text(el, "Status");
        if (status != null) {
          ledger.transition(existing.invoiceId(), status);
        }
        return AccountingJson.invoice(
            ledger.view(existing.invoiceId()), AccountingJson.Detail.FULL);
      }

      public ObjectNode echo() {
        return el.deepCopy();
      }
    };
  }

  static List<NewInvoice.Line> lines(ObjectNode el) {
    List<NewInvoice.Line> lines = new ArrayList<>();
    JsonNode li = el.get("LineItems");
    if (li != null) {
      li.forEach(
          l ->
              lines.add(
                  new NewInvoice.Line(
                      BatchWrite.text(l, "Description"),
                      BatchWrite.number(l, "Quantity"),
                      BatchWrite.number(l, "UnitAmount"),
                      BatchWrite.text(l, "AccountCode"),
                      BatchWrite.text(l, "TaxType"),
                      BatchWrite.text(l, "LineItemID"),
                      BatchWrite.number(l, "DiscountRate"),
                      BatchWrite.text(l, "ItemCode"))));
    }
    return lines;
  }

  private BatchWrite.Item create(AccountingCall call, ObjectNode el) {
    Ledger ledger = call.ledger();
    JsonNode contactNode = el.get("Contact");
    String contactId = BatchWrite.text(contactNode, "ContactID");
    String contactName = BatchWrite.text(contactNode, "Name");
    String contactNumber = BatchWrite.text(contactNode, "ContactNumber");
    return new BatchWrite.Item() {
      String resolvedContact() {
        if (contactId != null) {
          return contactId.toLowerCase(Locale.ROOT);
        }
        if (contactNumber != null) {
          Contact byNumber = ledger.contactByNumber(contactNumber);
          if (byNumber != null) {
            return byNumber.contactId();
          }
        }
        if (contactName == null) {
          return null;
        }
        return ledger
            .contacts(
                c ->
                    c.name().equalsIgnoreCase(contactName.trim())
                        && Contact.ACTIVE.equals(c.status()))
            .stream()
            .map(Contact::contactId)
            .findFirst()
            .orElse(null);
      }

      NewInvoice spec(String cid) {
        List<NewInvoice.Line> lines = lines(el);
        return new NewInvoice(
            BatchWrite.text(el, "Type"),
            cid,
            BatchWrite.text(el, "InvoiceNumber"),
            BatchWrite.text(el, "Reference"),
            date("Date"),
            date("DueDate"),
            BatchWrite.text(el, "LineAmountTypes"),
            lines,
            BatchWrite.text(el, "CurrencyCode"),
            BatchWrite.text(el, "Status"),
            call.clientId(),
            BatchWrite.number(el, "CurrencyRate"),
            BatchWrite.number(el, "SubTotal"),
            BatchWrite.number(el, "TotalTax"),
            BatchWrite.number(el, "Total"));
      }

      LocalDate date(String field) {
        try {
          return BatchWrite.date(el, field);
        } catch (RuntimeException e) {
          return null;
        }
      }

      public List<String> validate() {
        String cid = resolvedContact();
        List<String> errors = new ArrayList<>(ledger.validateInvoice(spec(cid)));
        // A new contact named in the invoice is created on save.
        if (cid == null && contactName != null && !contactName.isBlank()) {
          errors.remove(XeroMessages.CONTACT_REQUIRED);
        }
        return errors;
      }

      public ObjectNode apply() {
        String cid = resolvedContact();
        if (cid == null) {
          cid = ledger.createContact(contactName, null, call.clientId());
        }
        String id = ledger.createInvoice(spec(cid));
        return AccountingJson.invoice(ledger.view(id), AccountingJson.Detail.FULL);
      }

      public ObjectNode echo() {
        return el.deepCopy();
      }
    };
  }
}
