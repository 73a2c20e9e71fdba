package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Allocation;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.LedgerException;
import java.util.Locale;

/**
 * DELETE /CreditNotes|Overpayments|Prepayments/{id}/Allocations/{AllocationID}: removes an
 * allocation, so the credit has the amount back and the invoice owes it again. Answers the
 * Allocation with IsDeleted true, in the spec's Allocation schema.
 */
public final class DeleteAllocation implements AccountingOperation {
  private final Credit.Kind kind;

  public DeleteAllocation(Credit.Kind kind) {
    this.kind = kind;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    String creditId = call.request().pathParams().get(0).toLowerCase(Locale.ROOT);
    String allocationId = call.request().pathParams().get(1).toLowerCase(Locale.ROOT);
    Allocation removed;
    synchronized (ledger) {
      Credit credit = ledger.credit(creditId);
      if (credit == null || credit.kind() != kind) {
        return Problems.notFound();
      }
      if (ledger.allocation(creditId, allocationId) == null) {
        return Problems.notFound();
      }
      try {
        removed = ledger.deallocate(creditId, allocationId);
      } catch (LedgerException e) {
        return Problems.validation(String.join(" ", e.messages()));
      }
    }
    // The schema's names (its example spells AllocationId, which the schema does not allow).
    ObjectNode n = XeroJson.object().put("AllocationID", removed.allocationId());
    AccountingJson.date(n, "Date", removed.date(), false);
    // The spec's example shows Invoice as a list; its schema (which Xero's SDKs parse) an object.
    n.putObject("Invoice").put("InvoiceID", removed.invoiceId());
    n.put("Amount", XeroJson.money(removed.amount())).put("IsDeleted", true);
    return SimResponse.json(200, n);
  }
}
