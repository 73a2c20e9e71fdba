package dev.xerosync.webhook;

import dev.xerosync.common.Sha256;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Folds a delivery into per-tenant sync requests. The deduplication id is a hash of the events: a
 * redelivery of a delivery we already took hashes the same and SQS drops it.
 */
final class DeliveryFold {
  /** Keeps a message far below SQS's 256 KiB: a UUID is 36 bytes. */
  static final int MAX_IDS_PER_MESSAGE = 2000;

  private DeliveryFold() {}

  /** Folds a delivery's events into one request per tenant (split if it names many ids). */
  static List<SyncQueue.Message> fold(
      List<WebhookDelivery.Event> events, @Nullable String correlationId) {
    Map<String, List<WebhookDelivery.Event>> byTenant = new LinkedHashMap<>();
    for (var e : events) {
      byTenant.computeIfAbsent(e.tenantId(), k -> new ArrayList<>()).add(e);
    }
    List<SyncQueue.Message> messages = new ArrayList<>();
    for (var entry : byTenant.entrySet()) {
      Set<String> invoices = new LinkedHashSet<>();
      Set<String> contacts = new LinkedHashSet<>();
      Set<String> creditNotes = new LinkedHashSet<>();
      // Known only if every INVOICE event says when; one without a date leaves it unknown.
      Instant invoicesUpTo = null;
      boolean datesKnown = true;
      for (var e : entry.getValue()) {
        // Every event here passed EventCheck, which refuses one without a category.
        switch (Objects.requireNonNull(e.eventCategory(), "a checked event has a category")) {
          case "INVOICE" -> {
            invoices.add(e.resourceId());
            Instant at = eventDate(e.eventDateUtc());
            datesKnown &= at != null;
            if (at != null && (invoicesUpTo == null || at.isAfter(invoicesUpTo))) {
              invoicesUpTo = at;
            }
          }
          case "CONTACT" -> contacts.add(e.resourceId());
          case "CREDITNOTE" -> creditNotes.add(e.resourceId());
          default -> {} // Categories we do not sync are acknowledged and ignored.
        }
      }
      if (invoices.isEmpty() && contacts.isEmpty() && creditNotes.isEmpty()) {
        continue;
      }
      // The events themselves identify the change: a redelivery hashes the same, a later change
      // does not.
      String eventsHash =
          Sha256.hex(
              entry.getValue().stream()
                  .map(
                      e ->
                          e.eventCategory()
                              + "|"
                              + e.eventType()
                              + "|"
                              + e.resourceId()
                              + "|"
                              + e.eventDateUtc())
                  .sorted()
                  .reduce(entry.getKey(), (a, b) -> a + "\n" + b));
      List<String> inv = List.copyOf(invoices);
      List<String> con = List.copyOf(contacts);
      List<String> cn = List.copyOf(creditNotes);
      int most = Math.max(inv.size(), Math.max(con.size(), cn.size()));
      for (int i = 0; i < most; i += MAX_IDS_PER_MESSAGE) {
        var request =
            new SyncRequest(entry.getKey(), slice(inv, i), slice(con, i), correlationId)
                .withCreditNotes(slice(cn, i))
                .withInvoicesChangedUpTo(datesKnown ? invoicesUpTo : null);
        messages.add(
            new SyncQueue.Message(request, i == 0 ? eventsHash : Sha256.hex(eventsHash + "#" + i)));
      }
    }
    return messages;
  }

  /**
   * Xero's eventDateUtc as an instant, UTC when it has no zone, rounded up to the millisecond (a
   * stored invoice is dated to the millisecond, and must not look newer than a change it lacks);
   * null when absent or not a date.
   */
  static @Nullable Instant eventDate(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(
              value, OffsetDateTime::from, LocalDateTime::from);
      Instant at =
          parsed instanceof OffsetDateTime o
              ? o.toInstant()
              : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
      Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
      return millis.equals(at) ? at : millis.plusMillis(1);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<String> slice(List<String> ids, int from) {
    return from >= ids.size()
        ? List.of()
        : ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_MESSAGE));
  }
}
