package dev.xerosync.syncengine;

import dev.xerosync.queue.SyncQueue;
import dev.xerosync.queue.SyncRequest;
import dev.xerosync.store.Connection.InitialSync;
import dev.xerosync.store.Connections;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Starts a tenant's initial sync: registers it as PENDING and queues the first page. All the
 * callback needs to start one; the pages themselves run in the sync worker ({@link
 * InitialSyncPages}).
 */
public final class InitialSyncStarter {
  private final Connections connections;
  private final SyncQueue queue;
  private final Clock clock;

  public InitialSyncStarter(Connections connections, SyncQueue queue, Clock clock) {
    this.connections = connections;
    this.queue = queue;
    this.clock = clock;
  }

  /** Warms the SQS client with the empty batch SQS refuses; starts nothing. */
  public void prime() {
    queue.prime();
  }

  /** Registers the tenant as PENDING and queues the first page of its initial sync. */
  public void start(String tenantId, @Nullable String correlationId) {
    Instant now = clock.instant();
    LocalDate cutoff = LocalDate.ofInstant(now, ZoneOffset.UTC).minusMonths(12);
    InitialSync start = InitialSync.start(now, cutoff);
    connections.startInitialSync(tenantId, start);
    queue.send(SyncRequest.initialStep(tenantId, stepOf(start), correlationId));
  }

  /**
   * Names a step of the initial sync. Any INITIAL message runs the stored step; the name only keeps
   * consecutive steps apart in FIFO deduplication, and collapses duplicate chains into one.
   */
  public static String stepOf(InitialSync s) {
    return s.startedAt().toEpochMilli() + ":" + s.phase() + ":" + s.cursorMs() + ":" + s.page();
  }
}
