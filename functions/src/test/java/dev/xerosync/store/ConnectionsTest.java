package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connection.InitialSync.Phase;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The connection item's initial-sync checkpoint against the DynamoDB stand-in. */
class ConnectionsTest {

  @Test
  void aLateRunOfAnOlderStepCannotMoveTheInitialSyncBack() {
    var table = LocalTable.get();
    var connections = new Connections(table.dynamoDb(), table.name());
    String tenant = UUID.randomUUID().toString();
    Instant started = Instant.parse("2026-11-30T00:00:00Z");
    LocalDate cutoff = LocalDate.of(2025, 11, 30);
    var totals = new Counts(0, 200, 0, 100, 0, Counts.UNKNOWN);
    var step1 = new InitialSync(Phase.RECENT, cutoff, 0, 1, totals, started, null, null);
    var step2 =
        new InitialSync(
            Phase.RECENT, cutoff, 1_000, 1, totals.plus(Phase.RECENT, 100), started, null, null);
    var step3 =
        new InitialSync(
            Phase.OLDER, cutoff, 0, 1, totals.plus(Phase.RECENT, 200), started, started, null);
    connections.startInitialSync(tenant, step1);

    assertThat(connections.saveInitialSync(tenant, step1, step2, ConnectionStatus.SYNCING))
        .isTrue();
    assertThat(connections.saveInitialSync(tenant, step2, step3, ConnectionStatus.SYNCING))
        .isTrue();
    // A second delivery of step 1's message, whose run read step 1 before the others saved: its
    // save would bring back step 2, and its message would be dropped by SQS as a duplicate.
    assertThat(connections.saveInitialSync(tenant, step1, step2, ConnectionStatus.SYNCING))
        .isFalse();
    assertThat(connections.get(tenant).orElseThrow().initialSync()).isEqualTo(step3);
  }
}
