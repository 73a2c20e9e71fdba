package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import dev.xerosync.store.InitialSyncProgress.State;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class InitialSyncProgressTest {
  private static final LocalDate CUTOFF = LocalDate.parse("2025-03-10");
  private static final Instant STARTED = Instant.parse("2026-03-10T12:00:00Z");
  private static final Instant NOW = STARTED.plusSeconds(600);
  private static final Instant QUERYABLE = STARTED.plusSeconds(420);

  /** 2,500 recent invoices, 3,000 older ones and 500 contacts, as Xero counted them. */
  private static final Counts TOTALS = new Counts(0, 2_500, 0, 3_000, 0, 500);

  private static InitialSync at(Phase phase, Counts counts) {
    return new InitialSync(
        phase,
        CUTOFF,
        0,
        1,
        counts,
        STARTED,
        phase == Phase.RECENT ? null : QUERYABLE,
        phase == Phase.DONE ? NOW : null);
  }

  @Test
  void whileTheLast12MonthsRunHistoryWaitsAndFinishesAfterThemAtTheSamePace() {
    // 1,000 records in 600 s: 0.6 s a record.
    var p = InitialSyncProgress.of(at(Phase.RECENT, TOTALS.plus(Phase.RECENT, 1_000)), NOW);

    var recent = p.phases().get(0);
    assertThat(recent.name()).isEqualTo("RECENT");
    assertThat(recent.state()).isEqualTo(State.RUNNING);
    assertThat(recent.percentDone()).isEqualTo(40);
    assertThat(recent.eta()).as("1,500 left").isEqualTo(NOW.plusSeconds(900));
    var history = p.phases().get(1);
    assertThat(history.name()).isEqualTo("HISTORY");
    assertThat(history.state()).isEqualTo(State.WAITING);
    assertThat(history.total()).as("older invoices and contacts").isEqualTo(3_500);
    assertThat(history.percentDone()).isZero();
    assertThat(history.eta())
        .as("3,500 more after the recent ones")
        .isEqualTo(NOW.plusSeconds(3_000));
    assertThat(p.percentDone()).as("1,000 of 6,000").isEqualTo(16);
    assertThat(p.eta()).isEqualTo(history.eta());
  }

  @Test
  void onceTheLast12MonthsAreDoneHistoryRunsAtThePaceOfTheWholeSyncSoFar() {
    Counts counts =
        TOTALS.plus(Phase.RECENT, 2_500).plus(Phase.OLDER, 3_000).plus(Phase.CONTACTS, 0);
    // 5,500 records in 600 s; 500 contacts left.
    var p = InitialSyncProgress.of(at(Phase.CONTACTS, counts), NOW);

    var recent = p.phases().get(0);
    assertThat(recent.state()).isEqualTo(State.DONE);
    assertThat(recent.percentDone()).isEqualTo(100);
    assertThat(recent.eta()).isNull();
    assertThat(recent.finishedAt()).isEqualTo(QUERYABLE);
    var history = p.phases().get(1);
    assertThat(history.state()).isEqualTo(State.RUNNING);
    assertThat(history.done()).isEqualTo(3_000);
    assertThat(history.percentDone()).isEqualTo(85);
    assertThat(history.eta()).isEqualTo(NOW.plusMillis(Math.round(500 * 600_000 / 5_500.0)));
  }

  @Test
  void nothingIsEstimatedBeforeTheFirstPageIsCopied() {
    var p = InitialSyncProgress.of(at(Phase.RECENT, Counts.NONE), NOW);

    assertThat(p.percentDone()).isZero();
    assertThat(p.eta()).isNull();
    assertThat(p.phases()).allSatisfy(ph -> assertThat(ph.eta()).isNull());
    assertThat(p.phases().get(1).state()).isEqualTo(State.WAITING);
  }

  @Test
  void aTotalXeroDidNotGiveLeavesThatPhaseWithoutPercentOrEstimateAndHistoryWithoutEstimate() {
    Counts unknownRecent = new Counts(1_000, Counts.UNKNOWN, 0, 3_000, 0, 500);
    var p = InitialSyncProgress.of(at(Phase.RECENT, unknownRecent), NOW);

    assertThat(p.phases().get(0).percentDone()).isNull();
    assertThat(p.phases().get(0).eta()).isNull();
    assertThat(p.phases().get(1).eta()).as("starts when the recent phase ends: unknown").isNull();
    assertThat(p.percentDone()).isZero();
  }

  @Test
  void recordsChangedInXeroDuringTheSyncCanPassTheTotalButARunningPhaseStaysBelow100() {
    var p = InitialSyncProgress.of(at(Phase.RECENT, TOTALS.plus(Phase.RECENT, 2_600)), NOW);

    assertThat(p.phases().get(0).percentDone()).isEqualTo(99);
    assertThat(p.phases().get(0).eta()).as("none left: its last page").isEqualTo(NOW);
  }

  @Test
  void aFinishedSyncIsAllDoneWithWhenEachPhaseEnded() {
    Counts all =
        TOTALS.plus(Phase.RECENT, 2_500).plus(Phase.OLDER, 3_000).plus(Phase.CONTACTS, 500);
    var p = InitialSyncProgress.of(at(Phase.DONE, all), NOW.plusSeconds(60));

    assertThat(p.percentDone()).isEqualTo(100);
    assertThat(p.eta()).isEqualTo(NOW);
    assertThat(p.phases()).allSatisfy(ph -> assertThat(ph.state()).isEqualTo(State.DONE));
    assertThat(p.phases()).allSatisfy(ph -> assertThat(ph.percentDone()).isEqualTo(100));
    assertThat(p.phases().get(1).finishedAt()).isEqualTo(NOW);
    assertThat(at(Phase.DONE, all).percentDone()).isEqualTo(100);
  }

  @Test
  void theJsonGivesEachPhaseWithItsPercentEstimateAndSecondsLeft() {
    JsonNode j = InitialSyncProgress.json(at(Phase.RECENT, TOTALS.plus(Phase.RECENT, 1_000)), NOW);

    assertThat(j.path("phase").asText()).isEqualTo("RECENT");
    assertThat(j.path("percentDone").asInt()).isEqualTo(16);
    assertThat(j.path("processed").asLong()).isEqualTo(1_000);
    assertThat(j.path("total").asLong()).isEqualTo(6_000);
    assertThat(j.path("eta").asText()).isEqualTo(NOW.plusSeconds(3_000).toString());
    assertThat(j.path("secondsLeft").asLong()).isEqualTo(3_000);
    JsonNode recent = j.path("phases").get(0);
    assertThat(recent.path("name").asText()).isEqualTo("RECENT");
    assertThat(recent.path("state").asText()).isEqualTo("RUNNING");
    assertThat(recent.path("done").asLong()).isEqualTo(1_000);
    assertThat(recent.path("total").asLong()).isEqualTo(2_500);
    assertThat(recent.path("percentDone").asInt()).isEqualTo(40);
    assertThat(recent.path("secondsLeft").asLong()).isEqualTo(900);
    assertThat(recent.path("finishedAt").isNull()).isTrue();
    JsonNode history = j.path("phases").get(1);
    assertThat(history.path("state").asText()).isEqualTo("WAITING");
    assertThat(history.path("secondsLeft").asLong()).isEqualTo(3_000);

    JsonNode unknown =
        InitialSyncProgress.json(at(Phase.RECENT, new Counts(0, Counts.UNKNOWN, 0, 0, 0, 0)), NOW);
    assertThat(unknown.path("phases").get(0).path("total").isNull()).isTrue();
    assertThat(unknown.path("phases").get(0).path("percentDone").isNull()).isTrue();
  }
}
