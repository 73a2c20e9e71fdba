package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.util.Map;

/** PUT /contacts/{id}: creates our customer's contact, or sends our fields to the linked one. */
final class ContactUpsert implements OperationWrite {
  private final ContactLinks contacts;

  ContactUpsert(ContactLinks contacts) {
    this.contacts = contacts;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    ObjectNode contact = ((ObjectNode) op.request.deepCopy()).put("externalId", op.externalId);
    ContactLinks.Result r = contacts.ensure(c, contact, true);
    if (r.problem() != null) {
      return r.problem();
    }
    return Completion.succeeded(Map.of("contactId", r.contactId())).warning(r.notes());
  }
}
