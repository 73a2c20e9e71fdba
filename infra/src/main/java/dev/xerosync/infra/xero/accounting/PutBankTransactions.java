package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Account;
import dev.xerosync.infra.xero.ledger.BankTransaction;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PUT and POST /BankTransactions: creates RECEIVE (a stand-alone deposit), SPEND,
 * RECEIVE-OVERPAYMENT and RECEIVE-PREPAYMENT transactions into a BANK account named by Code or
 * AccountID. An element naming an existing BankTransactionID with Status DELETED deletes it (the
 * only update the simulator takes).
 */
public final class PutBankTransactions implements AccountingOperation {
  private final Clock clock;

  public PutBankTransactions(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "BankTransactions");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    Ledger ledger = call.ledger();
    List<BatchWrite.Item> items = new ArrayList<>();
    for (ObjectNode el : elements) {
      String existingId = BatchWrite.text(el, "BankTransactionID");
      items.add(
          existingId != null
              ? delete(ledger, el, existingId.toLowerCase(Locale.ROOT))
              : create(ledger, el));
    }
    if (items.isEmpty()) {
      return Problems.validation(XeroMessages.LINE_ITEM_REQUIRED);
    }
    return BatchWrite.run(call, clock, "BankTransactions", items);
  }

  private BatchWrite.Item delete(Ledger ledger, ObjectNode el, String id) {
    return new BatchWrite.Item() {
      public List<String> validate() {
        BankTransaction b = ledger.bankTransaction(id);
        if (b == null) {
          return List.of(XeroMessages.bankTransactionNotFound(id));
        }
        if (!"DELETED".equalsIgnoreCase(BatchWrite.text(el, "Status"))) {
          return List.of(XeroMessages.BANK_TRANSACTION_UPDATE);
        }
        return List.of();
      }

      public ObjectNode apply() {
        ledger.deleteBankTransaction(id);
        return AccountingJson.bankTransaction(ledger.bankTransaction(id), ledger);
      }

      public ObjectNode echo() {
        return el.deepCopy();
      }
    };
  }

  private BatchWrite.Item create(Ledger ledger, ObjectNode el) {
    return new BatchWrite.Item() {
      BankTransaction.New spec() {
        JsonNode c = el.get("Contact");
        String contactId = BatchWrite.text(c, "ContactID");
        String cid = contactId == null ? null : contactId.toLowerCase(Locale.ROOT);
        if (cid == null) {
          String number = BatchWrite.text(c, "ContactNumber");
          String name = BatchWrite.text(c, "Name");
          Contact found =
              number != null
                  ? ledger.contactByNumber(number)
                  : name != null ? ledger.activeContactByName(name) : null;
          cid = found == null ? null : found.contactId();
        }
        JsonNode acc = el.get("BankAccount");
        String accId = BatchWrite.text(acc, "AccountID");
        Account bank =
            ledger.accountByCodeOrId(
                BatchWrite.text(acc, "Code"),
                accId == null ? null : accId.toLowerCase(Locale.ROOT));
        return new BankTransaction.New(
            BatchWrite.text(el, "Type"),
            cid,
            bank == null ? null : bank.accountId(),
            BatchWrite.date(el, "Date"),
            BatchWrite.text(el, "Reference"),
            BatchWrite.text(el, "LineAmountTypes"),
            PutInvoices.lines(el),
            BatchWrite.text(el, "CurrencyCode"),
            BatchWrite.number(el, "CurrencyRate"));
      }

      public List<String> validate() {
        List<String> errors;
        try {
          errors = new java.util.ArrayList<>(ledger.checkBankTransaction(spec()));
        } catch (RuntimeException e) {
          return List.of(XeroMessages.DATE_NOT_VALID);
        }
        if (el.get("Contact") instanceof ObjectNode c && !identifies(c)) {
          errors.replaceAll(
              m ->
                  m.equals(XeroMessages.CONTACT_REQUIRED)
                      ? XeroMessages.CONTACT_NOT_IDENTIFIED
                      : m);
        }
        return errors;
      }

      public ObjectNode apply() {
        String id = ledger.createBankTransaction(spec());
        return AccountingJson.bankTransaction(ledger.bankTransaction(id), ledger);
      }

      public ObjectNode echo() {
        return el.deepCopy();
      }
    };
  }

  /** A Contact with a name, a number or an id that is not all zeros: Xero can look it up. */
  private static boolean identifies(ObjectNode contact) {
    String id = BatchWrite.text(contact, "ContactID");
    return BatchWrite.text(contact, "Name") != null
        || BatchWrite.text(contact, "ContactNumber") != null
        || (id != null && !id.isBlank() && !id.matches("[0-]+"));
  }
}
