package dev.xerosync.sync;

import dev.xerosync.common.Guid;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.queue.SyncRequest;
import java.util.List;

/**
 * The worker's own check of a sync message's ids, so a message queued before the receiver checked
 * them (or redriven from the dead-letter queue) cannot fail the ids it travels with. An id that is
 * not a GUID names nothing in Xero: it is dropped with a WARN naming it, the rest is synced. The
 * tenant and every id are lower-cased ({@link Guid#canonical}), as the receiver does now, so a
 * message queued before it did still names the tenant's one spelling.
 */
final class InvalidIds {
  private static final Log LOG = Log.of(InvalidIds.class);

  private InvalidIds() {}

  static SyncRequest dropFrom(SyncRequest r, String messageId) {
    List<String> invoices = valid(r.invoiceIds(), "invoice", r.tenantId(), messageId);
    List<String> contacts = valid(r.contactIds(), "contact", r.tenantId(), messageId);
    List<String> creditNotes = valid(r.creditNoteIds(), "credit note", r.tenantId(), messageId);
    String tenantId = Guid.canonical(r.tenantId());
    if (invoices.equals(r.invoiceIds())
        && contacts.equals(r.contactIds())
        && creditNotes.equals(r.creditNoteIds())
        && tenantId.equals(r.tenantId())) {
      return r;
    }
    return new SyncRequest(
        tenantId,
        r.kind(),
        invoices,
        contacts,
        r.correlationId(),
        r.step(),
        r.notBeforeMs(),
        creditNotes,
        r.invoicesChangedUpToMs());
  }

  private static List<String> valid(
      List<String> ids, String kind, String tenantId, String messageId) {
    if (ids.stream().allMatch(Guid::isCanonical)) {
      return ids.stream().map(Guid::canonical).toList();
    }
    ids.stream()
        .filter(id -> !Guid.isCanonical(id))
        .forEach(
            id -> {
              LOG.warn(
                  "sync id dropped: not a Xero id",
                  "kind",
                  kind,
                  "id",
                  Guid.printable(id),
                  "tenantId",
                  tenantId,
                  "messageId",
                  messageId);
              Metrics.count(Metrics.SYNC_IDS_DROPPED, 1);
            });
    return ids.stream().filter(Guid::isCanonical).map(Guid::canonical).toList();
  }
}
