package dev.xerosync.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.store.EventDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The business events of one invoice change, from its before and after as the query API serves them
 * ({@code InvoiceJson.detail}). Pure: the same pair always derives the same events and ids.
 *
 * <ul>
 *   <li>new: {@code invoice.created}
 *   <li>status to AUTHORISED from a draft (or new), VOIDED, DELETED: {@code invoice.authorised},
 *       {@code invoice.voided}, {@code invoice.deleted}
 *   <li>status to PAID: {@code invoice.paid} (with the payments that completed it, if any)
 *   <li>a new payment that leaves a balance: {@code invoice.part_paid}, one per payment
 *   <li>a payment gone (reversed or deleted in Xero): {@code invoice.payment_removed}, one each
 *   <li>any of {@link #DESCRIPTIVE} changed: {@code invoice.updated}
 * </ul>
 *
 * {@code previous} holds the changed fields' values before. Payment events carry the payment as
 * {@code instalment} beside the invoice's fields in {@code data}.
 */
final class InvoiceChanges {
  /** What {@code invoice.updated} reports: the invoice's own facts, not its money's movement. */
  static final List<String> DESCRIPTIVE =
      List.of(
          "invoiceNumber", "reference", "type", "contact", "date", "dueDate", "currency", "total");

  /** What the status and payment events report as {@code previous}. */
  static final List<String> SETTLEMENT =
      List.of("status", "amountDue", "amountPaid", "amountCredited", "fullyPaidOn");

  private static final List<String> DRAFTS = List.of("DRAFT", "SUBMITTED");

  private InvoiceChanges() {}

  static List<EventDraft> derive(String tenantId, @Nullable ObjectNode before, ObjectNode after) {
    String id = after.path("invoiceId").asText();
    String version = after.path("updatedUtc").asText();
    Instant occurredAt = Instant.parse(version);
    List<EventDraft> events = new ArrayList<>();
    if (before == null) {
      events.add(
          EventIds.draft(
              tenantId, id, EventTypes.INVOICE_CREATED, "created", occurredAt, after, null));
    }
    String was = before == null ? null : before.path("status").asText(null);
    String now = after.path("status").asText(null);
    ObjectNode settled = before == null ? null : changed(before, after, SETTLEMENT);
    if (!Objects.equals(was, now)) {
      if ("AUTHORISED".equals(now) && (was == null || DRAFTS.contains(was))) {
        events.add(
            EventIds.draft(
                tenantId, id, EventTypes.INVOICE_AUTHORISED, version, occurredAt, after, settled));
      } else if ("VOIDED".equals(now)) {
        events.add(
            EventIds.draft(
                tenantId, id, EventTypes.INVOICE_VOIDED, version, occurredAt, after, settled));
      } else if ("DELETED".equals(now)) {
        events.add(
            EventIds.draft(
                tenantId, id, EventTypes.INVOICE_DELETED, version, occurredAt, after, settled));
      }
    }
    Map<String, JsonNode> paymentsBefore = payments(before);
    Map<String, JsonNode> paymentsAfter = payments(after);
    List<JsonNode> added = new ArrayList<>();
    paymentsAfter.forEach(
        (paymentId, p) -> {
          if (!paymentsBefore.containsKey(paymentId)) {
            added.add(p);
          }
        });
    boolean becamePaid = "PAID".equals(now) && !"PAID".equals(was);
    for (JsonNode p : added) {
      if (!becamePaid) {
        ObjectNode data = after.deepCopy().set("instalment", p);
        events.add(
            EventIds.draft(
                tenantId,
                id,
                EventTypes.INVOICE_PART_PAID,
                p.path("paymentId").asText(),
                occurredAt,
                data,
                settled));
      }
    }
    if (becamePaid) {
      ObjectNode data = after.deepCopy();
      String because = version;
      if (!added.isEmpty()) {
        JsonNode last = added.get(added.size() - 1);
        data.set("instalment", last);
        // Keyed by the payment, not the version: our own payment's read-your-write copy and Xero's
        // echo of it are two versions of one change.
        because = last.path("paymentId").asText();
      }
      events.add(
          EventIds.draft(
              tenantId, id, EventTypes.INVOICE_PAID, because, occurredAt, data, settled));
    }
    paymentsBefore.forEach(
        (paymentId, p) -> {
          if (!paymentsAfter.containsKey(paymentId)) {
            ObjectNode data = after.deepCopy().set("instalment", p);
            events.add(
                EventIds.draft(
                    tenantId,
                    id,
                    EventTypes.INVOICE_PAYMENT_REMOVED,
                    paymentId,
                    occurredAt,
                    data,
                    settled));
          }
        });
    if (before != null) {
      ObjectNode described = changed(before, after, DESCRIPTIVE);
      if (described != null) {
        events.add(
            EventIds.draft(
                tenantId, id, EventTypes.INVOICE_UPDATED, version, occurredAt, after, described));
      }
    }
    return events;
  }

  /** The named fields whose values differ, with their values before; null when none does. */
  static @Nullable ObjectNode changed(ObjectNode before, ObjectNode after, List<String> fields) {
    ObjectNode previous = Json.MAPPER.createObjectNode();
    for (String f : fields) {
      JsonNode b = before.get(f);
      JsonNode a = after.get(f);
      if (!Objects.equals(b, a)) {
        previous.set(f, b == null ? Json.MAPPER.nullNode() : b);
      }
    }
    return previous.isEmpty() ? null : previous;
  }

  private static Map<String, JsonNode> payments(@Nullable ObjectNode invoice) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    if (invoice != null) {
      for (JsonNode p : invoice.path("instalments")) {
        byId.put(p.path("paymentId").asText(), p);
      }
    }
    return byId;
  }
}
