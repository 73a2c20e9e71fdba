package dev.xerosync.syncengine;

import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import java.time.Instant;
import java.util.List;

/**
 * The initial sync's next checkpoint after one page of invoices, apart from the calls: keyset
 * paging on UpdatedDateUTC, the last 12 months before older history, then contacts.
 */
final class InitialSyncPlan {
  private InitialSyncPlan() {}

  /**
   * @param s the checkpoint the page was read from
   * @param updated the UpdatedDateUTC of each invoice on the page
   * @param pageSize how many a full page holds; a shorter page ends the phase
   * @param total the count of invoices to sync, as known after this page
   * @param now when the page was stored
   */
  static InitialSync afterInvoicePage(
      InitialSync s, List<Instant> updated, int pageSize, long total, Instant now) {
    long fresh = updated.stream().filter(t -> t.toEpochMilli() > s.cursorMs()).count();
    long processed = s.processed() + fresh;
    if (updated.size() >= pageSize) {
      long lastMs = updated.stream().mapToLong(Instant::toEpochMilli).max().orElse(s.cursorMs());
      // Keyset paging on UpdatedDateUTC; if a whole page shares one second, step by page number
      // instead.
      boolean advanced = lastMs / 1000 > s.cursorMs() / 1000;
      return new InitialSync(
          s.phase(),
          s.cutoff(),
          advanced ? lastMs : s.cursorMs(),
          advanced ? 1 : s.page() + 1,
          processed,
          total,
          s.startedAt(),
          s.recentQueryableAt(),
          null);
    }
    if (s.phase() == Phase.RECENT) {
      return new InitialSync(
          Phase.OLDER, s.cutoff(), 0, 1, processed, total, s.startedAt(), now, null);
    }
    return new InitialSync(
        Phase.CONTACTS,
        s.cutoff(),
        0,
        1,
        processed,
        total,
        s.startedAt(),
        s.recentQueryableAt(),
        null);
  }
}
