package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.store.Connection.Counts;
import dev.xerosync.store.Connection.InitialSync;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How far a tenant's initial sync has got, as an admin sees it: the last 12 months of invoices
 * ({@code RECENT}), then history ({@code HISTORY}: older invoices, then contacts), each with its
 * state, percent and estimated finish.
 *
 * <p>Totals are Xero's counts ({@code pagination.itemCount}) taken by the sync's first step. A
 * record changed in Xero while the sync runs is read again once it moves past the paging cursor, so
 * done can pass the total: a phase shows at most 99 % until it ends.
 *
 * <p>The estimate is the pace so far (records copied per second since the sync started) applied to
 * the records each phase has left, history after the last 12 months: until history has begun, the
 * recent phase's pace stands for it (both are pages of 1,000 records at Xero's call rate). There is
 * none before the first page is copied, or while a total is unknown; a stalled sync (Xero's limit
 * spent) slows the pace, so its estimate moves out.
 */
public record InitialSyncProgress(int percentDone, @Nullable Instant eta, List<Phase> phases) {

  public enum State {
    WAITING,
    RUNNING,
    DONE
  }

  /**
   * One phase: {@code total} is {@link Counts#UNKNOWN} and {@code percentDone} null while Xero has
   * given no count; {@code eta} while it runs or waits, {@code finishedAt} once done.
   */
  public record Phase(
      String name,
      State state,
      long done,
      long total,
      @Nullable Integer percentDone,
      @Nullable Instant eta,
      @Nullable Instant finishedAt) {}

  public static InitialSyncProgress of(InitialSync s, Instant now) {
    Counts c = s.counts();
    boolean recentOver = s.phase() != InitialSync.Phase.RECENT;
    boolean over = s.phase() == InitialSync.Phase.DONE;
    long historyDone = c.olderDone() + c.contactsDone();
    long historyTotal = sum(c.olderTotal(), c.contactsTotal());
    long copied = s.processed();
    Instant recentEta = null;
    Instant historyEta = null;
    if (copied > 0 && !over) {
      long elapsedMs = Math.max(1, Duration.between(s.startedAt(), now).toMillis());
      double msPerRecord = elapsedMs / (double) copied;
      Instant historyStarts = now;
      if (!recentOver) {
        recentEta = after(now, c.recentDone(), c.recentTotal(), msPerRecord);
        historyStarts = recentEta;
      }
      historyEta =
          historyStarts == null
              ? null
              : after(historyStarts, historyDone, historyTotal, msPerRecord);
    }
    Phase recent =
        new Phase(
            "RECENT",
            recentOver ? State.DONE : State.RUNNING,
            c.recentDone(),
            c.recentTotal(),
            percent(c.recentDone(), c.recentTotal(), recentOver),
            recentEta,
            recentOver ? s.recentQueryableAt() : null);
    Phase history =
        new Phase(
            "HISTORY",
            over ? State.DONE : recentOver ? State.RUNNING : State.WAITING,
            historyDone,
            historyTotal,
            percent(historyDone, historyTotal, over),
            historyEta,
            over ? s.finishedAt() : null);
    Integer whole = percent(copied, sum(c.recentTotal(), historyTotal), over);
    return new InitialSyncProgress(
        whole == null ? 0 : whole, over ? s.finishedAt() : historyEta, List.of(recent, history));
  }

  /** The {@code initialSync} object of the connection routes (docs/api.md). */
  public static ObjectNode json(InitialSync s, Instant now) {
    InitialSyncProgress p = of(s, now);
    Counts c = s.counts();
    long total = sum(c.recentTotal(), sum(c.olderTotal(), c.contactsTotal()));
    ObjectNode out =
        Json.MAPPER
            .createObjectNode()
            .put("phase", s.phase().name())
            .put("percentDone", p.percentDone())
            .put("processed", s.processed())
            .put("total", total == Counts.UNKNOWN ? null : total)
            .put("startedAt", s.startedAt().toString());
    putInstant(out, "eta", p.eta());
    putSecondsLeft(out, p.eta(), now);
    putInstant(out, "recentQueryableAt", s.recentQueryableAt());
    putInstant(out, "finishedAt", s.finishedAt());
    ArrayNode phases = out.putArray("phases");
    for (Phase ph : p.phases()) {
      ObjectNode n = phases.addObject().put("name", ph.name()).put("state", ph.state().name());
      n.put("done", ph.done());
      n.put("total", ph.total() == Counts.UNKNOWN ? null : ph.total());
      n.put("percentDone", ph.percentDone());
      putInstant(n, "eta", ph.eta());
      putSecondsLeft(n, ph.eta(), now);
      putInstant(n, "finishedAt", ph.finishedAt());
    }
    return out;
  }

  /** The overall percent, as the panel's status shows it; no clock needed. */
  static int percentDone(InitialSync s) {
    Counts c = s.counts();
    long total = sum(c.recentTotal(), sum(c.olderTotal(), c.contactsTotal()));
    Integer p = percent(s.processed(), total, s.phase() == InitialSync.Phase.DONE);
    return p == null ? 0 : p;
  }

  private static @Nullable Integer percent(long done, long total, boolean over) {
    if (over) {
      return 100;
    }
    if (total == Counts.UNKNOWN) {
      return null;
    }
    return total <= 0 ? 0 : (int) Math.min(99, done * 100 / total);
  }

  private static @Nullable Instant after(Instant from, long done, long total, double msPerRecord) {
    if (total == Counts.UNKNOWN) {
      return null;
    }
    return from.plusMillis(Math.round(Math.max(0, total - done) * msPerRecord));
  }

  private static long sum(long a, long b) {
    return a == Counts.UNKNOWN || b == Counts.UNKNOWN ? Counts.UNKNOWN : a + b;
  }

  private static void putInstant(ObjectNode n, String name, @Nullable Instant at) {
    n.put(name, at == null ? null : at.toString());
  }

  private static void putSecondsLeft(ObjectNode n, @Nullable Instant eta, Instant now) {
    n.put("secondsLeft", eta == null ? null : Math.max(0, Duration.between(now, eta).toSeconds()));
  }
}
