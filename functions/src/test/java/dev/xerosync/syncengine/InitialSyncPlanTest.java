package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

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

  private static InitialSync at(Phase phase, long cursorMs, int page, long processed) {
    return new InitialSync(phase, CUTOFF, cursorMs, page, processed, 100, STARTED, null, null);
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
    InitialSync next =
        InitialSyncPlan.afterInvoicePage(
            at(Phase.RECENT, 0, 1, 0), seconds(10, 13, 11, 12), PAGE, 100, NOW);
    assertThat(next.phase()).isEqualTo(Phase.RECENT);
    assertThat(next.cursorMs()).isEqualTo(13_000);
    assertThat(next.page()).isEqualTo(1);
    assertThat(next.processed()).isEqualTo(4);
  }

  @Test
  void aFullPageThatSharesTheCursorsSecondStepsByPageNumberSoPagingCannotStall() {
    InitialSync next =
        InitialSyncPlan.afterInvoicePage(
            at(Phase.OLDER, 20_000, 2, 8),
            Collections.nCopies(PAGE, Instant.ofEpochMilli(20_400)),
            PAGE,
            100,
            NOW);
    assertThat(next.cursorMs()).isEqualTo(20_000);
    assertThat(next.page()).isEqualTo(3);
    // Later in the cursor's millisecond-precise time than the cursor: counted as new.
    assertThat(next.processed()).isEqualTo(12);
  }

  @Test
  void invoicesReadAgainAtTheCursorAreNotCountedTwice() {
    // The query reads from a second before the cursor, so the cursor's own invoice comes back.
    InitialSync next =
        InitialSyncPlan.afterInvoicePage(
            at(Phase.RECENT, 13_000, 1, 4), seconds(13, 14), PAGE, 100, NOW);
    assertThat(next.processed()).isEqualTo(5);
  }

  @Test
  void aShortRecentPageMakesTheLast12MonthsQueryableAndMovesToOlderHistory() {
    InitialSync next =
        InitialSyncPlan.afterInvoicePage(at(Phase.RECENT, 5_000, 3, 9), seconds(6), PAGE, 100, NOW);
    assertThat(next.phase()).isEqualTo(Phase.OLDER);
    assertThat(next.cursorMs()).isZero();
    assertThat(next.page()).isEqualTo(1);
    assertThat(next.recentQueryableAt()).isEqualTo(NOW);
    assertThat(next.processed()).isEqualTo(10);
  }

  @Test
  void aShortOlderPageMovesToContactsAndKeepsWhenRecentBecameQueryable() {
    Instant queryable = Instant.parse("2026-03-10T12:00:02Z");
    InitialSync s = new InitialSync(Phase.OLDER, CUTOFF, 0, 1, 50, 100, STARTED, queryable, null);
    InitialSync next = InitialSyncPlan.afterInvoicePage(s, List.of(), PAGE, 100, NOW);
    assertThat(next.phase()).isEqualTo(Phase.CONTACTS);
    assertThat(next.recentQueryableAt()).isEqualTo(queryable);
    assertThat(next.processed()).isEqualTo(50);
    assertThat(next.total()).isEqualTo(100);
    assertThat(next.finishedAt()).isNull();
  }
}
