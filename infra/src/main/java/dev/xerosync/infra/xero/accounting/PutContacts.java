package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.ContactDetails;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PUT /Contacts creates; POST /Contacts creates or updates; POST /Contacts/{ContactID} updates. A
 * POSTed element names its contact by ContactID, else by ContactNumber, else by an active contact's
 * Name (Xero's documented keys; the order when several are sent is our reading). {@code
 * ContactStatus: ACTIVE} restores an archived contact, ARCHIVED archives one. Names are unique
 * across active contacts; ContactNumber (at most 50 characters) across all. Every other field sent
 * is kept, as Xero keeps it ({@link ContactDetailsJson}).
 */
public final class PutContacts implements AccountingOperation {
  private final Clock clock;
  private final boolean post;

  public PutContacts(Clock clock, boolean post) {
    this.clock = clock;
    this.post = post;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "Contacts");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    String pathId =
        call.request().pathParams().isEmpty()
            ? null
            : call.request().pathParams().getFirst().toLowerCase(Locale.ROOT);
    Ledger ledger = call.ledger();
    if (pathId != null && ledger.contact(pathId) == null) {
      return Problems.notFound();
    }
    List<BatchWrite.Item> items = new ArrayList<>();
    for (ObjectNode el : elements) {
      String name = BatchWrite.text(el, "Name");
      String number = BatchWrite.text(el, "ContactNumber");
      String email = BatchWrite.text(el, "EmailAddress");
      String status = BatchWrite.text(el, "ContactStatus");
      ContactDetails details = ContactDetailsJson.read(el);
      Contact existing = post ? find(ledger, el, pathId) : null;
      items.add(
          new BatchWrite.Item() {
            public List<String> validate() {
              if (existing == null) {
                List<String> errors = new ArrayList<>(ledger.checkNewContact(name, number));
                return errors;
              }
              return ledger.checkContactUpdate(existing.contactId(), name, number, status);
            }

            public ObjectNode apply() {
              String id;
              if (existing == null) {
                id = ledger.createContact(name, email, number, details, call.clientId());
                if (Contact.ARCHIVED.equalsIgnoreCase(status)) {
                  ledger.archiveContact(id);
                }
              } else {
                id = existing.contactId();
                ledger.updateContact(id, name, email, number, status, details);
              }
              return AccountingJson.contact(ledger.contact(id), false);
            }

            public ObjectNode echo() {
              return el.deepCopy();
            }
          });
    }
    if (items.isEmpty()) {
      return Problems.validation(XeroMessages.CONTACT_NAME_REQUIRED);
    }
    return BatchWrite.run(call, clock, "Contacts", items);
  }

  private static Contact find(Ledger ledger, ObjectNode el, String pathId) {
    if (pathId != null) {
      return ledger.contact(pathId);
    }
    String id = BatchWrite.text(el, "ContactID");
    if (id != null) {
      return ledger.contact(id.toLowerCase(Locale.ROOT));
    }
    String number = BatchWrite.text(el, "ContactNumber");
    if (number != null && !number.isEmpty()) {
      Contact c = ledger.contactByNumber(number);
      if (c != null) {
        return c;
      }
    }
    String name = BatchWrite.text(el, "Name");
    return name == null || name.isBlank() ? null : ledger.activeContactByName(name);
  }
}
