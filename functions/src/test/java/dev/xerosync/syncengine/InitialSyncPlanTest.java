package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialSyncPlanTest {
  private static final LocalDate CUTOFF = LocalDate.parse("2025-03-10");
  private static final Instant STARTED = Instant.parse("2026-03-10T12:00:00Z");
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:05Z");
  private static final int PAGE = 4;

  /** Totals of 100 recent and 100 older invoices, {@code processed} of them in {@code phase}. */
  private static final Counts TOTALS = new Counts(0, 100, 0, 100, 0, 0);

  private static InitialSync at(Phase phase, long cursorMs, int page, long processed) {
    return new InitialSync(
        phase, CUTOFF, cursorMs, page, TOTALS.plus(phase, processed), STARTED, null, null);
  }

  private static InitialSync after(InitialSync s, List<Instant> updated) {
    return InitialSyncPlan.afterInvoicePage(s, updated, PAGE, s.counts(), NOW);
  }

  private static List<Instant> seconds(long... epochSeconds) {
    List<Instant> out = new ArrayList<>();
    for (long s : epochSeconds) {
      out.add(Instant.ofEpochSecond(s));
    }
    return out;
  }

  @Test
  void aFullPageMovesTheKeysetCursorToItsNewestInvoiceAndRestartsAtPageOne() {
    InitialSync next = after(at(Phase.RECENT, 0, 1, 0), seconds(10, 13, 11, 12));
    assertThat(next.phase()).isEqualTo(Phase.RECENT);
    assertThat(next.cursorMs()).isEqualTo(13_000);
    assertThat(next.page()).isEqualTo(1);
    assertThat(next.processed()).isEqualTo(4);
  }

  @Test
  void aFullPageThatSharesTheCursorsSecondStepsByPageNumberSoPagingCannotStall() {
    InitialSync next =
        after(
            at(Phase.OLDER, 20_000, 2, 8), Collections.nCopies(PAGE, Instant.ofEpochMilli(20_400)));
    assertThat(next.cursorMs()).isEqualTo(20_000);
    assertThat(next.page()).isEqualTo(3);
    // Later in the cursor's millisecond-precise time than the cursor: counted as new.
    assertThat(next.counts().olderDone()).isEqualTo(12);
  }

  @Test
  void invoicesReadAgainAtTheCursorAreNotCountedTwice() {
    // The query reads from a second before the cursor, so the cursor's own invoice comes back.
    InitialSync next = after(at(Phase.RECENT, 13_000, 1, 4), seconds(13, 14));
    assertThat(next.counts().recentDone()).isEqualTo(5);
  }

  @Test
  void aShortRecentPageMakesTheLast12MonthsQueryableAndMovesToOlderHistory() {
    InitialSync next = after(at(Phase.RECENT, 5_000, 3, 9), seconds(6));
    assertThat(next.phase()).isEqualTo(Phase.OLDER);
    assertThat(next.cursorMs()).isZero();
    assertThat(next.page()).isEqualTo(1);
    assertThat(next.recentQueryableAt()).isEqualTo(NOW);
    assertThat(next.counts().recentDone()).isEqualTo(10);
    assertThat(next.counts().olderDone()).isZero();
  }

  @Test
  void aShortOlderPageMovesToContactsAndKeepsWhenRecentBecameQueryable() {
    Instant queryable = Instant.parse("2026-03-10T12:00:02Z");
    InitialSync s =
        new InitialSync(
            Phase.OLDER, CUTOFF, 0, 1, TOTALS.plus(Phase.OLDER, 50), STARTED, queryable, null);
    InitialSync next = after(s, List.of());
    assertThat(next.phase()).isEqualTo(Phase.CONTACTS);
    assertThat(next.recentQueryableAt()).isEqualTo(queryable);
    assertThat(next.counts()).isEqualTo(s.counts());
    assertThat(next.finishedAt()).isNull();
  }
}
