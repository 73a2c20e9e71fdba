package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Account;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PUT /Payments: applies payments to AUTHORISED invoices from a bank (or payments-enabled) account,
 * named by Account.Code or Account.AccountID. The invoice is named by InvoiceID or InvoiceNumber.
 */
public final class PutPayments implements AccountingOperation {
  private final Clock clock;

  public PutPayments(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "Payments");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    Ledger ledger = call.ledger();
    List<BatchWrite.Item> items = new ArrayList<>();
    for (ObjectNode el : elements) {
      items.add(
          new BatchWrite.Item() {
            Invoice invoice() {
              JsonNode inv = el.get("Invoice");
              String id = BatchWrite.text(inv, "InvoiceID");
              if (id != null) {
                return ledger.invoice(id.toLowerCase(Locale.ROOT));
              }
              String number = BatchWrite.text(inv, "InvoiceNumber");
              return number == null ? null : ledger.invoiceByNumber(number);
            }

            Account account() {
              JsonNode acc = el.get("Account");
              String id = BatchWrite.text(acc, "AccountID");
              return ledger.accountByCodeOrId(
                  BatchWrite.text(acc, "Code"), id == null ? null : id.toLowerCase(Locale.ROOT));
            }

            /**
             * A refund names the credit instead of an invoice: {"CreditNote": {"CreditNoteID"}},
             * "Overpayment" or "Prepayment" (Xero's createPayments).
             */
            Credit credit() {
              for (String[] f :
                  new String[][] {
                    {"CreditNote", "CreditNoteID"},
                    {"Overpayment", "OverpaymentID"},
                    {"Prepayment", "PrepaymentID"}
                  }) {
                String id = BatchWrite.text(el.get(f[0]), f[1]);
                if (id != null) {
                  return ledger.credit(id.toLowerCase(Locale.ROOT));
                }
              }
              return null;
            }

            boolean refund() {
              return el.hasNonNull("CreditNote")
                  || el.hasNonNull("Overpayment")
                  || el.hasNonNull("Prepayment");
            }

            public List<String> validate() {
              if (refund()) {
                Credit c = credit();
                if (c == null) {
                  return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
                }
                Account acc = account();
                try {
                  BatchWrite.date(el, "Date");
                } catch (RuntimeException e) {
                  return List.of(XeroMessages.DATE_NOT_VALID);
                }
                return ledger.checkRefund(
                    c.creditId(),
                    acc == null ? null : acc.accountId(),
                    BatchWrite.number(el, "Amount"),
                    BatchWrite.date(el, "Date"));
              }
              Invoice inv = invoice();
              if (inv == null) {
                return List.of(XeroMessages.INVOICE_NOT_FOUND_FOR_PAYMENT);
              }
              Account acc = account();
              try {
                BatchWrite.date(el, "Date");
              } catch (RuntimeException e) {
                return List.of(XeroMessages.DATE_NOT_VALID);
              }
              return ledger.checkPayment(
                  inv.invoiceId(),
                  acc == null ? null : acc.accountId(),
                  BatchWrite.number(el, "Amount"),
                  BatchWrite.date(el, "Date"));
            }

            public ObjectNode apply() {
              if (refund()) {
                String refund =
                    ledger.refundCredit(
                        credit().creditId(),
                        account().accountId(),
                        BatchWrite.number(el, "Amount"),
                        BatchWrite.date(el, "Date"),
                        BatchWrite.text(el, "Reference"));
                return AccountingJson.payment(ledger.payment(refund), ledger);
              }
              String id =
                  ledger.pay(
                      invoice().invoiceId(),
                      account().accountId(),
                      BatchWrite.number(el, "Amount"),
                      BatchWrite.date(el, "Date"),
                      BatchWrite.text(el, "Reference"));
              return AccountingJson.payment(ledger.payment(id), ledger);
            }

            public ObjectNode echo() {
              return el.deepCopy();
            }
          });
    }
    if (items.isEmpty()) {
      return Problems.validation("No Payments were provided.");
    }
    return BatchWrite.run(call, clock, "Payments", items);
  }
}
