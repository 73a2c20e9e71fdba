package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.Payment;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * POST /Payments/{PaymentID} with {"Status":"DELETED"}: Xero's only way to reverse a payment
 * through the API.
 */
public final class DeletePayment implements AccountingOperation {
  private final Clock clock;

  public DeletePayment(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    String id = call.request().pathParams().getFirst().toLowerCase(Locale.ROOT);
    if (ledger.payment(id) == null) {
      return Problems.notFound();
    }
    List<ObjectNode> elements;
    try {
      elements = BatchWrite.elements(call.request().body(), "Payments");
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    ObjectNode el = elements.isEmpty() ? null : elements.getFirst();
    BatchWrite.Item item =
        new BatchWrite.Item() {
          public List<String> validate() {
            if (el == null || !"DELETED".equalsIgnoreCase(BatchWrite.text(el, "Status"))) {
              return List.of("Payments can only be deleted by setting Status to DELETED");
            }
            if (Payment.DELETED.equals(ledger.payment(id).status())) {
              return List.of("Payment has already been deleted");
            }
            return List.of();
          }

          public ObjectNode apply() {
            ledger.reversePayment(id);
            return AccountingJson.payment(ledger.payment(id), ledger);
          }

          public ObjectNode echo() {
            return el == null ? dev.xerosync.infra.xero.http.XeroJson.object() : el.deepCopy();
          }
        };
    return BatchWrite.run(call, clock, "Payments", List.of(item));
  }
}
