package dev.xerosync.sync;

import dev.xerosync.common.Guid;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.queue.SyncRequest;
import java.util.List;

/**
 * The worker's own check of a sync message's ids, so a message queued before the receiver checked
 * them (or redriven from the dead-letter queue) cannot fail the ids it travels with. An id that is
 * not a GUID names nothing in Xero: it is dropped with a WARN naming it, the rest is synced.
 */
final class InvalidIds {
  private static final Log LOG = Log.of(InvalidIds.class);

  private InvalidIds() {}

  static SyncRequest dropFrom(SyncRequest r, String messageId) {
    List<String> invoices = valid(r.invoiceIds(), "invoice", r.tenantId(), messageId);
    List<String> contacts = valid(r.contactIds(), "contact", r.tenantId(), messageId);
    List<String> creditNotes = valid(r.creditNoteIds(), "credit note", r.tenantId(), messageId);
    if (invoices.size() == r.invoiceIds().size()
        && contacts.size() == r.contactIds().size()
        && creditNotes.size() == r.creditNoteIds().size()) {
      return r;
    }
    return new SyncRequest(
        r.tenantId(),
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
      return ids;
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
    return ids.stream().filter(Guid::isCanonical).toList();
  }
}
