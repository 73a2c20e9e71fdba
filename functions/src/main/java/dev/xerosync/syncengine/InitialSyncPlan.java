package dev.xerosync.syncengine;

import dev.xerosync.store.Connection.Counts;
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
   * @param counts the counts before this page, with the totals as known after it
   * @param now when the page was stored
   */
  static InitialSync afterInvoicePage(
      InitialSync s, List<Instant> updated, int pageSize, Counts counts, Instant now) {
    // Each page is read from a second before the cursor: count only the records past it.
    long fresh = updated.stream().filter(t -> t.toEpochMilli() > s.cursorMs()).count();
    Counts after = counts.plus(s.phase(), fresh);
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
          after,
          s.startedAt(),
          s.recentQueryableAt(),
          null);
    }
    if (s.phase() == Phase.RECENT) {
      return new InitialSync(Phase.OLDER, s.cutoff(), 0, 1, after, s.startedAt(), now, null);
    }
    return new InitialSync(
        Phase.CONTACTS, s.cutoff(), 0, 1, after, s.startedAt(), s.recentQueryableAt(), null);
  }
}
