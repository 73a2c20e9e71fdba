package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission and drain arithmetic: what a tenant may queue, and when each write goes. */
class WriteTurnTest {
  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");
  private static final Outbox.Admission FIVE_MINUTES =
      new Outbox.Admission(45, Duration.ofMinutes(5));

  @Test
  void aTenantMayQueueWhatDrainsBeforeTheDeadlineAtThreeQuartersOfItsShare() {
    assertThat(FIVE_MINUTES.capacity()).isEqualTo(168);
    assertThat(new Outbox.Admission(45, Outbox.DEFAULT_DEADLINE).capacity()).isEqualTo(48_600);
    assertThat(new Outbox.Admission(45, Duration.ofSeconds(30)).capacity()).isEqualTo(16);
    assertThat(new Outbox.Admission(1, Duration.ofMinutes(1)).capacity()).isEqualTo(1);
  }

  @Test
  void theLastWriteAdmittedGoesInTimeToFinishBeforeItsDeadline() {
    Duration share = FIVE_MINUTES.deadline().dividedBy(FIVE_MINUTES.capacity());

    assertThat(FIVE_MINUTES.turnBy(NOW, 1)).isEqualTo(NOW);
    assertThat(FIVE_MINUTES.turnBy(NOW, 2)).isEqualTo(NOW.plus(share));
    assertThat(FIVE_MINUTES.turnBy(NOW, FIVE_MINUTES.capacity()).plus(share))
        .isBeforeOrEqualTo(NOW.plus(FIVE_MINUTES.deadline()));
    assertThat(FIVE_MINUTES.turnBy(NOW, 10 * FIVE_MINUTES.capacity()))
        .as("a position past the capacity (counts read long) still goes before the deadline")
        .isBefore(NOW.plus(FIVE_MINUTES.deadline()));
  }

  @Test
  void aWriteGoesWhenFewerThanALaneEachOfOlderWritesAreOpen() {
    Instant turnBy = NOW.plusSeconds(60);

    assertThat(WriteTurn.wait(10, 9, turnBy, NOW)).as("the oldest open").isEmpty();
    assertThat(WriteTurn.wait(10, 6, turnBy, NOW)).as("3 ahead").isEmpty();
    assertThat(WriteTurn.wait(10, 5, turnBy, NOW)).contains(Duration.ofSeconds(1));
    assertThat(WriteTurn.wait(30, 5, turnBy, NOW)).contains(Duration.ofSeconds(21));
    assertThat(WriteTurn.wait(0, 0, turnBy, NOW)).as("no ticket").isEmpty();
  }

  @Test
  void noWriteWaitsPastTheTimeAdmissionCountedOnEvenWhenTheCountsReadLong() {
    Instant turnBy = NOW.plusSeconds(30);

    assertThat(WriteTurn.wait(500, 5, turnBy, NOW)).contains(Duration.ofSeconds(30));
    assertThat(WriteTurn.wait(500, 5, turnBy, turnBy)).isEmpty();
    assertThat(WriteTurn.wait(500, 5, null, NOW)).as("accepted before turns").isEmpty();
  }

  /**
   * A tenant that keeps its queue full for an hour, drained one call at a time at the writes' full
   * share (admission counts on three quarters of it) by four lanes that take the free call in turn,
   * where one lane gets half the writes: in turn, every write finishes before its deadline; racing
   * alone, the crowded lane falls further behind with each write and its writes pass the deadline.
   */
  @Test
  void aQueueKeptFullWithOneCrowdedLaneDrainsBeforeEachDeadlineOnlyInTurn() {
    assertThat(lateWrites(true)).isZero();
    assertThat(lateWrites(false)).as("the old rule: lanes race for the calls").isPositive();
  }

  private record Queued(long ticket, Instant deadline, Instant turnBy) {}

  private static int lateWrites(boolean inTurn) {
    Outbox.Admission a = FIVE_MINUTES;
    Duration call = Duration.ofMinutes(1).dividedBy(a.perMinute());
    List<ArrayDeque<Queued>> lanes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      lanes.add(new ArrayDeque<>());
    }
    Instant now = NOW;
    long accepted = 0;
    long finished = 0;
    int late = 0;
    int next = 0;
    while (now.isBefore(NOW.plus(Duration.ofHours(1)))) {
      while (accepted - finished < a.capacity()) {
        accepted++;
        Queued w = new Queued(accepted, now.plus(a.deadline()), a.turnBy(now, accepted - finished));
        lanes.get(accepted % 2 == 0 ? 0 : (int) (1 + accepted % 3)).add(w);
      }
      for (int k = 0; k < 4; k++) {
        ArrayDeque<Queued> lane = lanes.get((next + k) % 4);
        Queued head = lane.peek();
        if (head != null
            && (!inTurn || WriteTurn.wait(head.ticket(), finished, head.turnBy(), now).isEmpty())) {
          lane.poll();
          next = (next + k + 1) % 4;
          finished++;
          if (now.plus(call).isAfter(head.deadline())) {
            late++;
          }
          break;
        }
      }
      now = now.plus(call);
    }
    return late;
  }
}
