package dev.xerosync.syncengine;

import dev.xerosync.store.ChangeFetches.ChangeFetch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a tenant's changed invoices are fetched: by {@code IDs=} while they trickle in, by one
 * If-Modified-Since read (1,000 invoices a call) when they pour in, and not at all when such a read
 * already covers them. Pure rules; {@link ChangeSync} does the calls and keeps the record.
 *
 * <p>A tenant is <em>hot</em> when the invoice ids it named lately (a count that decays with a
 * {@link #HEAT_TIME} time constant) pass {@link #HOT_IDS}. A hot tenant's changes are read by
 * If-Modified-Since, and paced to at most one read every {@link #PACE} only while its rolling
 * minute (or the app's) is short of room for the burst: what arrives meanwhile waits in its FIFO
 * message group, and the next read covers all of it. Pacing saves calls, and calls matter only
 * against Xero's limits (a read by date costs the same bytes as reads by id), so while there is
 * room a hot tenant is read at once. The numbers come from {@code SyncBenchmark burst} and {@code
 * freshness}; docs/benchmarks.md, "Adaptive fetching", has the measurements.
 */
public final class ChangeFetchPlan {
  /** The time constant of a tenant's heat. */
  static final Duration HEAT_TIME = Duration.ofSeconds(5);

  /**
   * Ids within about {@link #HEAT_TIME} that make a tenant hot. A tenant at Xero's own pace (under
   * a change a second) stays near 5.
   */
  static final double HOT_IDS = 8;

  /** A hot tenant's changes are read at most this often. */
  static final Duration PACE = Duration.ofSeconds(4);

  /**
   * A hot tenant's changes are read at most this often even while its minute has room: a burst's
   * batches arrive a few tenths of a second apart, and reading each at once spent a call per batch
   * until the heat reached the room (6 reads in the first 2 s of the burst benchmark, where its
   * target allows about 20 calls in all). Half a second is what a change of a hot tenant may wait.
   */
  static final Duration GAP = Duration.ofMillis(500);

  /**
   * How much earlier than its message's arrival on the queue a change may have happened and still
   * be found by the If-Modified-Since read (an earlier one is fetched by {@code IDs=} after the
   * read). Every second of lead is a second of a hot tenant's changes read (and compared with the
   * store) again: at 10 s a burst spent most of each cycle on invoices it already had.
   */
  static final Duration LEAD = Duration.ofSeconds(3);

  /**
   * A message counts as sent before a read only this much before the read started: SQS's clock and
   * ours are both synchronised, but not to the millisecond.
   */
  static final Duration CLOCK_MARGIN = Duration.ofMillis(500);

  private ChangeFetchPlan() {}

  /** The next fetch: by If-Modified-Since or by {@code IDs=}, and not before when. */
  public record Decision(boolean bySince, Instant notBefore) {}

  /**
   * Whether a change named in a message sent at {@code sentAt} is already stored: a complete
   * If-Modified-Since read that started after the message was sent read every invoice changed at or
   * after what it covers; so if the stored copy is that new, it is at least what that read saw,
   * which was after the change. A stored copy older than that was not in the read (the change came
   * before what it covers), and is fetched again.
   */
  public static boolean covered(
      ChangeFetch last, @Nullable Instant sentAt, Optional<Instant> storedUpdatedAt) {
    return last.sinceFetchStartedAt() != null
        && sentAt != null
        && sentAt.isBefore(last.sinceFetchStartedAt().minus(CLOCK_MARGIN))
        && storedUpdatedAt.isPresent()
        && !storedUpdatedAt.get().isBefore(last.sinceFetchCovers());
  }

  /**
   * Whether the last read by date (or the initial sync) saw a change that Xero dated {@code
   * changedAt} (the webhook's event date), named in a message sent at {@code sentAt}, whatever is
   * stored: the read started after the message was sent and its window opened before the change, so
   * it listed the invoice as it was after the change. An invoice it listed is stored (or was set
   * aside); one it did not list is no invoice Xero lists (a bill, a deleted draft, no invoice at
   * all), and fetching it by id again brings nothing more. Without this, each such id in a backlog
   * cost its batch a paced read and held the tenant's queue to ten messages per {@link #PACE}
   * (issue 29, finding 9). The margin keeps an event dated a moment after the invoice's
   * UpdatedDateUTC from counting. The event date alone never says a read saw a change: only when
   * our own queue sent the message does (a webhook's date is Xero's word, and a late or replayed
   * delivery may carry any).
   */
  public static boolean changeSeen(
      ChangeFetch last, @Nullable Instant sentAt, @Nullable Instant changedAt) {
    return mayBeCovered(last, sentAt)
        && changedAt != null
        && last.sinceFetchCovers() != null
        && !changedAt.isBefore(last.sinceFetchCovers().plus(CLOCK_MARGIN));
  }

  /** Whether a read that started at {@code startedAt} can cover anything sent at {@code sentAt}. */
  public static boolean mayBeCovered(ChangeFetch last, @Nullable Instant sentAt) {
    return last.sinceFetchStartedAt() != null
        && sentAt != null
        && sentAt.isBefore(last.sinceFetchStartedAt().minus(CLOCK_MARGIN));
  }

  static double heatAt(ChangeFetch last, Instant now) {
    if (last.lastFetchAt() == null) {
      return 0;
    }
    double elapsed = Math.max(0, Duration.between(last.lastFetchAt(), now).toMillis());
    return last.heat() * Math.exp(-elapsed / HEAT_TIME.toMillis());
  }

  /**
   * The calls a burst of this heat would need if each of its batches were fetched at once: at most
   * one per id named lately, as each could come in a batch of its own.
   */
  static int burstCalls(ChangeFetch last, Instant now, int pending) {
    return (int) Math.ceil(heatAt(last, now)) + pending;
  }

  /**
   * {@code pending} ids to fetch, of which one {@code IDs=} call carries about {@code idsPerCall};
   * {@code room} tells (asked only for a hot tenant) the calls left in the tenant's or the app's
   * rolling minute, whichever is fewer.
   */
  public static Decision decide(
      ChangeFetch last, Instant now, int pending, int idsPerCall, IntSupplier room) {
    boolean hot = heatAt(last, now) + pending > HOT_IDS;
    // One If-Modified-Since call brings up to 1,000 invoices: more than one IDs= call's worth is
    // cheaper by date.
    boolean bySince = hot || pending > idsPerCall;
    Instant notBefore = now;
    if (hot && last.lastFetchAt() != null && last.lastFetchAt().plus(GAP).isAfter(now)) {
      notBefore = last.lastFetchAt().plus(GAP);
    }
    if (hot
        && last.lastFetchAt() != null
        && last.lastFetchAt().plus(PACE).isAfter(now)
        && room.getAsInt() < burstCalls(last, now, pending)) {
      notBefore = last.lastFetchAt().plus(PACE);
    }
    return new Decision(bySince, notBefore);
  }

  /**
   * The If-Modified-Since of a read for changes whose messages were sent at {@code sentAts}: {@link
   * #LEAD} before the earliest, but not before what the last read by date already read, when that
   * read reaches back far enough to have seen every change the new one wants. Messages wait in the
   * queue while a hot tenant is paced, so without the floor each read re-listed the seconds the one
   * before it had listed (a third of a burst's reads were invoices already stored at that date),
   * and the first read after connecting re-listed the books the initial sync had just read.
   */
  public static Instant since(ChangeFetch last, Collection<Instant> sentAts, Instant now) {
    Instant earliest = now;
    for (Instant s : sentAts) {
      if (s != null && s.isBefore(earliest)) {
        earliest = s;
      }
    }
    Instant wanted = earliest.minus(LEAD);
    Instant floor = floor(last);
    Instant lastCovers = last.sinceFetchCovers();
    if (floor == null || lastCovers == null || covers(wanted).isBefore(lastCovers)) {
      return wanted;
    }
    return floor.isAfter(wanted) ? floor : wanted;
  }

  /**
   * The latest If-Modified-Since whose read, with the last one, leaves no gap: it covers from a
   * whole second no later than the clock margin before the last read started. Null: no read by date
   * is known.
   */
  static @Nullable Instant floor(ChangeFetch last) {
    return last.sinceFetchStartedAt() == null
        ? null
        : last.sinceFetchStartedAt()
            .minus(CLOCK_MARGIN)
            .truncatedTo(ChronoUnit.SECONDS)
            .minusSeconds(1);
  }

  /**
   * What a read with this If-Modified-Since surely covers: the header carries whole seconds, and
   * Xero may read it as "after", so the next whole second.
   */
  static Instant covers(Instant since) {
    return since.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
  }

  /**
   * The record after a fetch of {@code ids} invoice ids that started at {@code startedAt}; {@code
   * since} is its If-Modified-Since, or null for an {@code IDs=} fetch (which covers nothing beyond
   * the ids it names). A read whose window reaches back to the last one's start extends what the
   * two cover together: every invoice changed from the earlier cover on was listed by one of them,
   * by a read that started after the change.
   */
  public static ChangeFetch after(
      ChangeFetch last, Instant startedAt, int ids, @Nullable Instant since) {
    double heat = heatAt(last, startedAt) + ids;
    if (since == null) {
      return new ChangeFetch(startedAt, heat, last.sinceFetchStartedAt(), last.sinceFetchCovers());
    }
    return new ChangeFetch(startedAt, heat, startedAt, coveredFrom(last, covers(since)));
  }

  /**
   * The record once the initial sync, started at {@code startedAt}, has read every invoice: it
   * covers all of history up to its start, so the first reads by date after it need not reach back
   * into the books it just read. A later read by date that joins it keeps covering all of it.
   */
  public static ChangeFetch afterInitialSync(ChangeFetch last, Instant startedAt) {
    Instant lastFetchAt = last.lastFetchAt() == null ? startedAt : last.lastFetchAt();
    Instant lastRead = last.sinceFetchStartedAt();
    if (lastRead == null || !lastRead.isAfter(startedAt)) {
      return new ChangeFetch(lastFetchAt, last.heat(), startedAt, Instant.EPOCH);
    }
    ChangeFetch initial = new ChangeFetch(startedAt, 0, startedAt, Instant.EPOCH);
    Instant covers = last.sinceFetchCovers() == null ? lastRead : last.sinceFetchCovers();
    return new ChangeFetch(lastFetchAt, last.heat(), lastRead, coveredFrom(initial, covers));
  }

  /** What a read covering from {@code covers} covers together with the last read by date. */
  private static Instant coveredFrom(ChangeFetch last, Instant covers) {
    Instant lastRead = last.sinceFetchStartedAt();
    if (lastRead == null
        || last.sinceFetchCovers() == null
        || covers.isAfter(lastRead.minus(CLOCK_MARGIN))) {
      return covers;
    }
    return last.sinceFetchCovers().isBefore(covers) ? last.sinceFetchCovers() : covers;
  }
}
