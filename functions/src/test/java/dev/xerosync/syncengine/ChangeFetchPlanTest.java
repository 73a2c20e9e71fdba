package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.ChangeFetches.ChangeFetch;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class ChangeFetchPlanTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:30.250Z");
  private static final int PER_CALL = 50;
  private static final IntSupplier NO_ROOM = () -> 0;

  private static Instant ago(long ms) {
    return NOW.minusMillis(ms);
  }

  @Test
  void aTenantAtXerosOwnPaceIsFetchedByIdsAtOnce() {
    // About one change a second for a while: the heat settles near 5.
    ChangeFetch last = ChangeFetch.NONE;
    Instant t = NOW.minusSeconds(60);
    for (int i = 0; i < 60; i++) {
      t = t.plusSeconds(1);
      last = ChangeFetchPlan.after(last, t, 1, null);
    }
    var d = ChangeFetchPlan.decide(last, t.plusMillis(300), 1, PER_CALL, NO_ROOM);
    assertThat(d.bySince()).isFalse();
    assertThat(d.notBefore()).isEqualTo(t.plusMillis(300));
  }

  @Test
  void moreThanOneIdsCallsWorthIsReadByDateAtOnce() {
    var d = ChangeFetchPlan.decide(ChangeFetch.NONE, NOW, PER_CALL + 1, PER_CALL, NO_ROOM);
    assertThat(d.bySince()).isTrue();
    assertThat(d.notBefore()).isEqualTo(NOW);
  }

  @Test
  void aHotTenantShortOfRoomIsReadByDateAtMostOncePerPace() {
    ChangeFetch last = ChangeFetchPlan.after(ChangeFetch.NONE, ago(1000), 15, null);
    // 15 ids a second ago, fading: about 13 now, and 3 more pending need 16 calls; 15 are left.
    var d = ChangeFetchPlan.decide(last, NOW, 3, PER_CALL, () -> 15);
    assertThat(d.bySince()).isTrue();
    assertThat(d.notBefore()).isEqualTo(ago(1000).plus(ChangeFetchPlan.PACE));
  }

  @Test
  void aHotTenantWithRoomForItsBurstIsReadAtOnce() {
    // The demo's case: the initial sync and the first changes made the tenant hot, with 5 of its
    // 60 calls used; the next change must not wait for the pace.
    ChangeFetch last = ChangeFetchPlan.after(ChangeFetch.NONE, ago(300), 9, null);
    var d = ChangeFetchPlan.decide(last, NOW, 1, PER_CALL, () -> 55);
    assertThat(d.bySince()).isTrue();
    // Not the pace: only what is left of the gap after the last read.
    assertThat(d.notBefore()).isEqualTo(ago(300).plus(ChangeFetchPlan.GAP));
    var later = ChangeFetchPlan.decide(last, NOW.plusSeconds(1), 1, PER_CALL, () -> 55);
    assertThat(later.notBefore()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void aBurstLargerThanTheRoomLeftIsPacedEvenWithManyCallsLeft() {
    // 25 changes a second for 4 s: about 70 ids of heat, more than the 50 calls left.
    ChangeFetch last = ChangeFetch.NONE;
    for (int i = 20; i > 0; i--) {
      last =
          ChangeFetchPlan.after(
              last,
              ago(i * 200L),
              5,
              ChangeFetchPlan.since(ChangeFetch.NONE, List.of(), ago(i * 200L)));
    }
    Instant lastRead = last.lastFetchAt();
    var d = ChangeFetchPlan.decide(last, NOW, 5, PER_CALL, () -> 50);
    assertThat(d.notBefore()).isEqualTo(lastRead.plus(ChangeFetchPlan.PACE));
  }

  @Test
  void aReadByDateThatFoundABurstKeepsItsNextBatchesPaced() {
    // The read named 2 ids but found 100 changed: the burst goes on, and the 45 calls left in the
    // minute would not carry it.
    Instant readAt = ago(500);
    ChangeFetch last =
        ChangeFetchPlan.after(
            ChangeFetch.NONE,
            readAt,
            100,
            ChangeFetchPlan.since(ChangeFetch.NONE, List.of(), readAt));
    var d = ChangeFetchPlan.decide(last, NOW, 12, PER_CALL, () -> 45);
    assertThat(d.notBefore()).isEqualTo(readAt.plus(ChangeFetchPlan.PACE));
  }

  @Test
  void theRoomIsAskedOnlyForAHotTenant() {
    ChangeFetch cool = ChangeFetchPlan.after(ChangeFetch.NONE, ago(1000), 1, null);
    var d =
        ChangeFetchPlan.decide(
            cool,
            NOW,
            1,
            PER_CALL,
            () -> {
              throw new AssertionError("a cool tenant's room was read");
            });
    assertThat(d.bySince()).isFalse();
  }

  @Test
  void heatFadesSoATenantThatWentQuietIsServedAtOnceAgain() {
    ChangeFetch last = ChangeFetchPlan.after(ChangeFetch.NONE, ago(30_000), 500, null);
    var d = ChangeFetchPlan.decide(last, NOW, 1, PER_CALL, NO_ROOM);
    assertThat(d.bySince()).isFalse();
    assertThat(d.notBefore()).isEqualTo(NOW);
  }

  @Test
  void theReadStartsALeadBeforeTheEarliestMessageAndCoversFromTheNextWholeSecond() {
    Instant since =
        ChangeFetchPlan.since(ChangeFetch.NONE, Arrays.asList(ago(2000), null, ago(500)), NOW);
    assertThat(since).isEqualTo(ago(2000).minus(ChangeFetchPlan.LEAD));
    ChangeFetch after = ChangeFetchPlan.after(ChangeFetch.NONE, NOW, 40, since);
    assertThat(after.sinceFetchStartedAt()).isEqualTo(NOW);
    assertThat(after.sinceFetchCovers()).isEqualTo(Instant.parse("2026-03-10T12:00:26Z"));
  }

  @Test
  void anIdsFetchKeepsWhatTheLastReadByDateCovers() {
    ChangeFetch read = new ChangeFetch(ago(5000), 30, ago(5000), ago(20_000));
    ChangeFetch after = ChangeFetchPlan.after(read, NOW, 1, null);
    assertThat(after.sinceFetchStartedAt()).isEqualTo(ago(5000));
    assertThat(after.sinceFetchCovers()).isEqualTo(ago(20_000));
    assertThat(after.lastFetchAt()).isEqualTo(NOW);
  }

  @Test
  void aChangeIsCoveredOnlyBySentBeforeTheReadAndStoredAtLeastAsNewAsItCovers() {
    Instant readAt = ago(1000);
    Instant covers = ago(15_000);
    ChangeFetch last = new ChangeFetch(readAt, 50, readAt, covers);
    Instant sentBefore = readAt.minusSeconds(2);
    assertThat(ChangeFetchPlan.covered(last, sentBefore, Optional.of(covers))).isTrue();
    assertThat(ChangeFetchPlan.covered(last, sentBefore, Optional.of(ago(100)))).isTrue();
    assertThat(ChangeFetchPlan.covered(last, sentBefore, Optional.of(covers.minusMillis(1))))
        .as("stored copy older than the read's window: the read did not see it")
        .isFalse();
    assertThat(ChangeFetchPlan.covered(last, sentBefore, Optional.empty())).isFalse();
    assertThat(ChangeFetchPlan.covered(last, readAt.minusMillis(100), Optional.of(ago(100))))
        .as("sent within the clock margin of the read")
        .isFalse();
    assertThat(ChangeFetchPlan.covered(last, NOW, Optional.of(ago(100))))
        .as("sent after the read started")
        .isFalse();
    assertThat(ChangeFetchPlan.covered(last, null, Optional.of(ago(100))))
        .as("sent when is unknown")
        .isFalse();
    assertThat(ChangeFetchPlan.covered(ChangeFetch.NONE, sentBefore, Optional.of(ago(100))))
        .isFalse();
  }

  /** Issue 29, finding 9: an id no read stores was fetched again for every batch naming it. */
  @Test
  void aChangeDatedInsideTheReadsWindowWasSeenByItEvenWithNothingStored() {
    Instant readAt = ago(1000);
    Instant covers = ago(15_000);
    ChangeFetch last = new ChangeFetch(readAt, 50, readAt, covers);
    Instant sentBefore = readAt.minusSeconds(2);
    Instant margin = covers.plus(ChangeFetchPlan.CLOCK_MARGIN);
    assertThat(ChangeFetchPlan.changeSeen(last, sentBefore, margin)).isTrue();
    assertThat(ChangeFetchPlan.changeSeen(last, sentBefore, ago(3000))).isTrue();
    assertThat(ChangeFetchPlan.changeSeen(last, sentBefore, margin.minusMillis(1)))
        .as("changed before the read's window, or within the margin of its start")
        .isFalse();
    assertThat(ChangeFetchPlan.changeSeen(last, sentBefore, null)).as("date unknown").isFalse();
    assertThat(ChangeFetchPlan.changeSeen(last, NOW, ago(3000)))
        .as("sent after the read started: the event's date alone is Xero's word, not ours")
        .isFalse();
    assertThat(ChangeFetchPlan.changeSeen(ChangeFetch.NONE, sentBefore, ago(3000))).isFalse();
  }

  @Test
  void aReadStartsNoEarlierThanTheLastReadByDateAlreadyRead() {
    // A paced burst: the messages waited 4 s in the queue, so their lead reaches back into what
    // the last read (at 12:00:26.250, covering from 12:00:10) listed.
    Instant lastRead = ago(4000);
    ChangeFetch last =
        new ChangeFetch(lastRead, 120, lastRead, Instant.parse("2026-03-10T12:00:10Z"));
    Instant since = ChangeFetchPlan.since(last, List.of(ago(6000), ago(1000)), NOW);
    // From the whole second that ends no later than the margin before the last read started.
    assertThat(since).isEqualTo(Instant.parse("2026-03-10T12:00:24Z"));
    assertThat(ChangeFetchPlan.covers(since))
        .isBeforeOrEqualTo(lastRead.minus(ChangeFetchPlan.CLOCK_MARGIN));
    // Together the two reads cover from the first one's cover.
    ChangeFetch after = ChangeFetchPlan.after(last, NOW, 100, since);
    assertThat(after.sinceFetchStartedAt()).isEqualTo(NOW);
    assertThat(after.sinceFetchCovers()).isEqualTo(Instant.parse("2026-03-10T12:00:10Z"));
  }

  @Test
  void aReadReachesBackPastTheLastReadWhenAMessageIsOlderThanItsWindow() {
    Instant lastRead = ago(4000);
    ChangeFetch last = new ChangeFetch(lastRead, 120, lastRead, ago(8000));
    // A late webhook: sent 20 s ago, before what the last read covers.
    Instant since = ChangeFetchPlan.since(last, List.of(ago(20_000)), NOW);
    assertThat(since).isEqualTo(ago(20_000).minus(ChangeFetchPlan.LEAD));
    ChangeFetch after = ChangeFetchPlan.after(last, NOW, 1, since);
    assertThat(after.sinceFetchCovers()).isEqualTo(ChangeFetchPlan.covers(since));
  }

  @Test
  void aReadThatLeavesAGapAfterTheLastOneCoversOnlyItsOwnWindow() {
    ChangeFetch last = new ChangeFetch(ago(60_000), 10, ago(60_000), ago(70_000));
    Instant since = ChangeFetchPlan.since(last, List.of(ago(2000)), NOW);
    assertThat(since).isEqualTo(ago(2000).minus(ChangeFetchPlan.LEAD));
    ChangeFetch after = ChangeFetchPlan.after(last, NOW, 1, since);
    assertThat(after.sinceFetchCovers()).isEqualTo(ChangeFetchPlan.covers(since));
  }

  @Test
  void theInitialSyncCoversHistorySoTheFirstReadStartsAtItsStart() {
    Instant started = ago(5_000);
    ChangeFetch seeded = ChangeFetchPlan.afterInitialSync(ChangeFetch.NONE, started);
    assertThat(seeded.sinceFetchCovers()).isEqualTo(Instant.EPOCH);
    assertThat(seeded.heat()).isZero();
    // The books were written in Xero just before connecting: the first read does not list them.
    Instant since = ChangeFetchPlan.since(seeded, List.of(ago(6000)), NOW);
    assertThat(since).isEqualTo(Instant.parse("2026-03-10T12:00:23Z"));
    // A webhook queued before the initial sync started, for a change it read, costs nothing.
    assertThat(ChangeFetchPlan.changeSeen(seeded, ago(9000), ago(9500))).isTrue();
    // A delivery queued after it started, whatever date its event carries, is fetched.
    assertThat(ChangeFetchPlan.changeSeen(seeded, NOW, Instant.parse("2026-01-01T00:00:00Z")))
        .isFalse();
    assertThat(ChangeFetchPlan.covered(seeded, ago(9000), Optional.of(ago(600_000)))).isTrue();
    assertThat(ChangeFetchPlan.covered(seeded, ago(9000), Optional.empty())).isFalse();
  }

  @Test
  void theInitialSyncKeepsTheHeatAndALaterReadByDateThatJoinsIt() {
    Instant started = ago(20_000);
    ChangeFetch joined = new ChangeFetch(ago(2000), 40, ago(2000), ago(21_000));
    ChangeFetch after = ChangeFetchPlan.afterInitialSync(joined, started);
    assertThat(after.heat()).isEqualTo(40);
    assertThat(after.lastFetchAt()).isEqualTo(ago(2000));
    assertThat(after.sinceFetchStartedAt()).isEqualTo(ago(2000));
    assertThat(after.sinceFetchCovers()).isEqualTo(Instant.EPOCH);

    ChangeFetch apart = new ChangeFetch(ago(2000), 40, ago(2000), ago(5000));
    assertThat(ChangeFetchPlan.afterInitialSync(apart, started)).isEqualTo(apart);
  }
}
