package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /deposits: a RECEIVE bank transaction into the set-up's deposit account, with our deposit id
 * as its Reference. A deposit id recorded once is never sent again; after an ambiguous send, a bank
 * transaction with our Reference is adopted. A deposit that names no contact goes to the set-up's
 * deposits contact (Xero requires one on a bank transaction).
 */
final class DepositWrite implements OperationWrite {
  private final OperationLog log;
  private final ContactLinks contacts;
  private final Clock clock;

  DepositWrite(OperationLog log, ContactLinks contacts, Clock clock) {
    this.log = log;
    this.contacts = contacts;
    this.clock = clock;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    JsonNode body = op.request;
    Optional<ObjectNode> posted = log.link(op.tenantId, OperationLog.DEPOSIT, op.externalId);
    if (posted.isPresent()) {
      return Completion.succeeded(
          Map.of("bankTransactionId", posted.get().path("bankTransactionId").asText()));
    }
    Optional<ObjectNode> settings = log.settings(op.tenantId);
    String bank = settings.map(s -> s.path("depositAccountCode").asText(null)).orElse(null);
    if (bank == null && log.setupPending(op.tenantId)) {
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
      Optional<String> found = DepositByReference.find(c, reference);
      if (found.isPresent()) {
        return linked(op, found.get());
      }
    }
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.put("Type", "RECEIVE");
    el.putObject("BankAccount").put("Code", bank);
    List<String> notes = List.of();
    if (body.hasNonNull("contact")) {
      ContactLinks.Result contact = contacts.ensure(c, body.get("contact"), false);
      if (contact.problem() != null) {
        return contact.problem();
      }
      notes = contact.notes();
      el.putObject("Contact").put("ContactID", contact.contactId());
    } else {
      // Xero requires a contact on every bank transaction: the set-up's deposits contact.
      String depositContact = settings.get().path("depositContactId").asText(null);
      if (depositContact == null) {
        return Completion.failed(
            "CONTACT_REQUIRED",
            "Xero needs a contact on a deposit, and the set-up names no deposits contact.",
            "Send the deposit with contact.externalId (or contact.xeroContactId), or send the"
                + " set-up again with PUT /tenants/{tenantId}/settings/accounting: it names"
                + " (or creates) the deposits contact.");
      }
      el.putObject("Contact").put("ContactID", depositContact);
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
    return linked(op, out.saved().path("BankTransactionID").asText()).warning(notes);
  }

  private Completion linked(Operation op, String bankTransactionId) {
    log.putLink(
        op.tenantId,
        OperationLog.DEPOSIT,
        op.externalId,
        Json.MAPPER.createObjectNode().put("bankTransactionId", bankTransactionId));
    return Completion.succeeded(Map.of("bankTransactionId", bankTransactionId));
  }
}
