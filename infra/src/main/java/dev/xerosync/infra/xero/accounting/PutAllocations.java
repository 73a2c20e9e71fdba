package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Allocation;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.LedgerException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PUT /CreditNotes|Overpayments|Prepayments/{id}/Allocations: applies remaining credit to invoices.
 */
public final class PutAllocations implements AccountingOperation {
  private final Clock clock;
  private final Credit.Kind kind;

  public PutAllocations(Clock clock, Credit.Kind kind) {
    this.clock = clock;
    this.kind = kind;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    String creditId = call.request().pathParams().getFirst().toLowerCase(Locale.ROOT);
    Credit credit = ledger.credit(creditId);
    if (credit == null || credit.kind() != kind) {
      return Problems.notFound();
    }
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "Allocations");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    List<BatchWrite.Item> items = new ArrayList<>();
    for (ObjectNode el : elements) {
      items.add(
          new BatchWrite.Item() {
            String allocationId;

            public List<String> validate() {
              String inv = BatchWrite.text(el.get("Invoice"), "InvoiceID");
              BigDecimal amount = BatchWrite.number(el, "Amount");
              if (inv == null || ledger.invoice(inv.toLowerCase(Locale.ROOT)) == null) {
                return List.of("Invoice could not be found");
              }
              if (amount == null) {
                return List.of("Amount must be specified");
              }
              return ledger.checkAllocation(creditId, inv.toLowerCase(Locale.ROOT), amount);
            }

            public ObjectNode apply() {
              String inv = BatchWrite.text(el.get("Invoice"), "InvoiceID").toLowerCase(Locale.ROOT);
              allocationId =
                  ledger.allocate(
                      creditId, inv, BatchWrite.number(el, "Amount"), BatchWrite.date(el, "Date"));
              Allocation a = ledger.allocation(creditId, allocationId);
              if (a == null) {
                throw new LedgerException("allocation lost");
              }
              return AccountingJson.allocation(a, ledger.credit(creditId), ledger);
            }

            public ObjectNode echo() {
              return el.deepCopy();
            }
          });
    }
    if (items.isEmpty()) {
      return Problems.validation("No Allocations were provided.");
    }
    return BatchWrite.run(call, clock, "Allocations", items);
  }
}
