package dev.xerosync.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.store.EventDraft;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The business events of one credit note, overpayment or prepayment change: {@code
 * credit.allocated} per allocation that appeared, {@code credit.unallocated} per one that went, and
 * {@code credit.refunded} when the remaining credit fell by more than the allocations explain (Xero
 * pays a refund out of the remaining credit). The allocation is in {@code data.allocation}. A
 * credit first seen reports the allocations it has as new: the sync reads a credit only when it
 * changed.
 */
final class CreditChanges {
  private CreditChanges() {}

  static List<EventDraft> derive(String tenantId, @Nullable ObjectNode before, ObjectNode after) {
    String id = after.path("creditId").asText();
    String version = after.path("updatedUtc").asText("");
    Instant occurredAt = version.isEmpty() ? Instant.EPOCH : Instant.parse(version);
    Map<String, JsonNode> was = allocations(before);
    Map<String, JsonNode> now = allocations(after);
    List<EventDraft> events = new ArrayList<>();
    now.forEach(
        (key, a) -> {
          if (!was.containsKey(key)) {
            events.add(draft(tenantId, id, EventTypes.CREDIT_ALLOCATED, key, occurredAt, after, a));
          }
        });
    was.forEach(
        (key, a) -> {
          if (!now.containsKey(key)) {
            events.add(
                draft(tenantId, id, EventTypes.CREDIT_UNALLOCATED, key, occurredAt, after, a));
          }
        });
    BigDecimal allocatedMore = sum(now).subtract(sum(was));
    BigDecimal remainingBefore =
        before == null
            ? after.path("total").decimalValue()
            : before.path("remainingCredit").decimalValue();
    BigDecimal fell = remainingBefore.subtract(after.path("remainingCredit").decimalValue());
    if (fell.subtract(allocatedMore).signum() > 0) {
      events.add(
          new EventDraft(
              EventIds.of(tenantId, id, EventTypes.CREDIT_REFUNDED, version),
              EventTypes.CREDIT_REFUNDED,
              id,
              occurredAt,
              after,
              before == null
                  ? null
                  : InvoiceChanges.changed(before, after, List.of("remainingCredit", "status"))));
    }
    return events;
  }

  private static EventDraft draft(
      String tenantId,
      String creditId,
      String type,
      String allocationKey,
      Instant occurredAt,
      ObjectNode credit,
      JsonNode allocation) {
    ObjectNode data = credit.deepCopy().set("allocation", allocation);
    return EventIds.draft(tenantId, creditId, type, allocationKey, occurredAt, data, null);
  }

  /** By allocation id, or, where Xero gave none, by invoice, amount and date. */
  private static Map<String, JsonNode> allocations(@Nullable ObjectNode credit) {
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    if (credit != null) {
      for (JsonNode a : credit.path("allocations")) {
        String key =
            a.hasNonNull("allocationId")
                ? a.get("allocationId").asText()
                : a.path("invoiceId").asText()
                    + "/"
                    + a.path("amount").decimalValue().toPlainString()
                    + "/"
                    + a.path("date").asText();
        byKey.put(key, a);
      }
    }
    return byKey;
  }

  private static BigDecimal sum(Map<String, JsonNode> allocations) {
    return allocations.values().stream()
        .map(a -> a.path("amount").decimalValue())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
