package dev.xerosync.infra.xero.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every payment, indexed by the document it pays: an invoice, or a credit for a refund. Reversed
 * payments stay, as DELETED. Guarded by the ledger's monitor.
 */
final class Payments {
  private final Map<String, Payment> payments = new LinkedHashMap<>();
  private final Map<String, List<String>> idsByDocument = new HashMap<>();

  Payment get(String id) {
    return payments.get(id);
  }

  List<Payment> list(Predicate<Payment> filter) {
    return payments.values().stream().filter(filter).toList();
  }

  /** The live (AUTHORISED) payments of an invoice, or the live refunds of a credit. */
  List<Payment> liveOf(String documentId) {
    return idsByDocument.getOrDefault(documentId, List.of()).stream()
        .map(payments::get)
        .filter(p -> Payment.AUTHORISED.equals(p.status()))
        .toList();
  }

  void add(Payment p) {
    payments.put(p.paymentId(), p);
    idsByDocument.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>()).add(p.paymentId());
  }

  /** Replaces a payment's record (a reversal). */
  void replace(Payment p) {
    payments.put(p.paymentId(), p);
  }

  /** Bulk load without validation or webhooks (see Ledger.load). */
  void load(List<Payment> newPayments) {
    for (Payment p : newPayments) {
      payments.put(p.paymentId(), p);
      idsByDocument.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>(2)).add(p.paymentId());
    }
  }
}
