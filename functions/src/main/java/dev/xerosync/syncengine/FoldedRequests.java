package dev.xerosync.syncengine;

import dev.xerosync.queue.SyncRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's sync requests folded into one run: every id named once, and INITIAL and RECONCILE
 * each run at most once, however many messages asked.
 *
 * @param invoiceSentAt each invoice id with the latest time a message naming it was sent (null if
 *     any such time is unknown): a fetch that started after that has seen the change
 * @param changedAt each invoice id with the latest time Xero said it changed (null if unknown)
 */
record FoldedRequests(
    Map<String, Instant> invoiceSentAt,
    Map<String, Instant> changedAt,
    Set<String> contactIds,
    Set<String> creditNoteIds,
    boolean initial,
    boolean reconcile) {

  /**
   * @param sentAt when each request's message was sent to the queue (an element may be null)
   */
  static FoldedRequests of(List<SyncRequest> requests, List<Instant> sentAt) {
    Map<String, Instant> invoiceSentAt = new LinkedHashMap<>();
    Map<String, Instant> changedAt = new LinkedHashMap<>();
    Set<String> contactIds = new LinkedHashSet<>();
    Set<String> creditNoteIds = new LinkedHashSet<>();
    boolean initial = false;
    boolean reconcile = false;
    for (int i = 0; i < requests.size(); i++) {
      SyncRequest r = requests.get(i);
      Instant sent = sentAt.get(i);
      Instant changed = r.invoicesChangedUpTo().orElse(null);
      for (String id : r.invoiceIds()) {
        // Unknown (null) wins in both: such an id is never taken as covered or as stored.
        invoiceSentAt.put(id, latest(invoiceSentAt.getOrDefault(id, sent), sent));
        changedAt.put(id, latest(changedAt.getOrDefault(id, changed), changed));
      }
      contactIds.addAll(r.contactIds());
      creditNoteIds.addAll(r.creditNoteIds());
      initial |= r.kind() == SyncRequest.Kind.INITIAL;
      reconcile |= r.kind() == SyncRequest.Kind.RECONCILE;
    }
    return new FoldedRequests(
        invoiceSentAt, changedAt, contactIds, creditNoteIds, initial, reconcile);
  }

  boolean hasChanges() {
    return !invoiceSentAt.isEmpty() || !contactIds.isEmpty();
  }

  private static @Nullable Instant latest(@Nullable Instant a, @Nullable Instant b) {
    return a == null || b == null ? null : a.isAfter(b) ? a : b;
  }
}
