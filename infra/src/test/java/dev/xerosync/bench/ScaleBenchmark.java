package dev.xerosync.bench;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.xero.SimClock;
import dev.xerosync.infra.xero.ratelimit.RateLimiter;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.sync.SweepPacing;
import dev.xerosync.syncengine.TenantRateBudget;
import dev.xerosync.xero.CallBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * {@code ./dev bench ScaleBenchmark [quick] [--tenants=N] [--workers=N] [--minutes=N]
 * [--lead-minutes=N] [--sweeps=paced|at-once] [--xero-latency-ms=N] [--app-limit=N]}: thousands of
 * connected tenants under Xero's app-wide limit of 10,000 calls a minute (or {@code --app-limit},
 * for both the simulator and our budget, to make it bind), in simulated time.
 *
 * <p>What is real: the simulator's {@link RateLimiter} judges every call (its refusals are the 429s
 * counted here, its rolling windows are Xero's), our {@link TenantRateBudget} decides every call
 * against its items in DynamoDB (the local stand-in, through the real client), and our {@link
 * SweepPacing} dates every hourly sweep. Both read one {@link SimClock} that the event loop moves
 * from event to event, so an hour of traffic takes minutes, not an hour.
 *
 * <p>What is modelled: the path around them. Lambda's SQS poller hands a worker up to 10 messages
 * of one FIFO group (one tenant), oldest group first, at most {@code workers} batches at once (the
 * template's MaximumConcurrency); changes in a batch fold into one {@code IDs=} call; a sweep costs
 * three calls (invoices, payments and contacts since the last sweep); a deferred message waits in
 * the delay queue and comes back; latencies are fixed (webhook to queue {@value #PIPELINE_MS} ms,
 * each Xero call {@code --xero-latency-ms}, storing {@value #STORE_MS} ms).
 *
 * <p>The mix: 1% hot tenants (a change every {@value #HOT_CHANGE_EVERY_S} s on average, and a burst
 * of {@value #BURST_CHANGES} changes in a minute about every {@value #BURST_EVERY_MIN} minutes);
 * the rest quiet (a change every {@value #QUIET_CHANGE_EVERY_MIN} minutes on average); an hourly
 * sweep of every tenant. The run starts {@code --lead-minutes} (5) before the hour and lasts 50
 * simulated minutes, long enough for the whole paced sweep of 5,000 tenants; {@code quick}
 * simulates 10 minutes of 1,000 tenants, a smoke run.
 */
public final class ScaleBenchmark {
  static final long PIPELINE_MS = 150;
  static final long STORE_MS = 20;
  static final long POLL_MS = 20;
  static final long DELAY_QUEUE_FORWARD_MS = 100;
  static final int BATCH = 10;
  static final int SWEEP_CALLS = 3;
  static final double HOT_SHARE = 0.01;
  static final int HOT_CHANGE_EVERY_S = 10;
  static final int BURST_CHANGES = 300;
  static final int BURST_EVERY_MIN = 20;
  static final int QUIET_CHANGE_EVERY_MIN = 30;
  static final String APP = "scale-bench-app";

  private int tenants = 5000;
  private int workers = 10;
  private long xeroLatencyMs = 300;
  private int appLimit = RateLimiter.APP_PER_MINUTE;
  private double minutes = 50;
  private int leadMinutes = 5;
  private boolean paced = true;

  // ---- the simulated world
  private Instant start;
  private SimClock clock;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
  private long seq;
  private long now;
  private final Random random = new Random(16);

  private RateLimiter xero;
  private TenantRateBudget budget;
  private Group[] groups;
  private final PriorityQueue<Group> ready =
      new PriorityQueue<>(Comparator.comparingLong((Group g) -> g.messages.peekFirst().visibleAt));
  private int idleWorkers;

  // ---- what is measured
  private final List<Long> quietFreshnessMs = new ArrayList<>();
  private final List<Long> hotFreshnessMs = new ArrayList<>();
  private final Map<String, Integer> refusals = new HashMap<>();
  private final Map<String, Integer> deferrals = new HashMap<>();
  private final Deque<Long> lastMinuteCalls = new ArrayDeque<>();
  private int peakPerMinute;
  private long calls;
  private long sweepCalls;
  private long appSecond = -1;
  private int appSecondWrites;
  private int appItemPeakWrites;
  private final Map<String, long[]> tenantSecond = new HashMap<>();
  private int tenantItemPeakWrites;
  private int sweepsQueued;
  private int quietMade;
  private int sweepsDone;
  private long lastSweepDoneAt;
  private int busyWorkersPeak;

  record Event(long at, long seq, Runnable action) {}

  enum Kind {
    CHANGE,
    SWEEP
  }

  static final class Message {
    final Kind kind;
    final long madeAt;
    long visibleAt;

    Message(Kind kind, long madeAt, long visibleAt) {
      this.kind = kind;
      this.madeAt = madeAt;
      this.visibleAt = visibleAt;
    }
  }

  final class Group {
    final String tenantId;
    final boolean hot;
    final Deque<Message> messages = new ArrayDeque<>();
    boolean inFlight;
    boolean queued;

    Group(String tenantId, boolean hot) {
      this.tenantId = tenantId;
      this.hot = hot;
    }
  }

  public static void main(String[] args) throws Exception {
    Figures figures = Figures.to(System.out);
    ScaleBenchmark b = new ScaleBenchmark();
    for (String a : args) {
      if (a.equals("quick")) {
        // A smoke run (CI's benchmark loop): a fifth of the tenants, 10 simulated minutes.
        b.minutes = 10;
        b.tenants = 1000;
      } else if (a.startsWith("--tenants=")) {
        b.tenants = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--workers=")) {
        b.workers = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--lead-minutes=")) {
        b.leadMinutes = Integer.parseInt(a.substring(15));
      } else if (a.startsWith("--minutes=")) {
        b.minutes = Double.parseDouble(a.substring(10));
      } else if (a.startsWith("--xero-latency-ms=")) {
        b.xeroLatencyMs = Long.parseLong(a.substring(18));
      } else if (a.startsWith("--app-limit=")) {
        b.appLimit = Integer.parseInt(a.substring(12));
      } else if (a.equals("--sweeps=at-once")) {
        b.paced = false;
      } else if (!a.equals("--sweeps=paced")) {
        System.err.println("unknown argument " + a);
        System.exit(2);
      }
    }
    figures.require(
        "app-limit-429s",
        "app-peak-calls-per-minute",
        "quiet-tenant-freshness-p99-s",
        "xero-egress-mb-per-tenant-month",
        "idle-xero-egress-mb-per-tenant-month");
    // Stdout keeps the figures: Figures sends the functions' JSON log and metric lines to a file.
    var out = figures.out();
    figures.run(() -> b.run(figures, out));
  }

  void run(Figures figures, java.io.PrintStream out) throws Exception {
    start = Instant.parse("2026-11-30T10:00:00Z").minus(Duration.ofMinutes(leadMinutes));
    clock = SimClock.frozen(start);
    out.printf(
        "# %d tenants (%d hot), %d workers, Xero call %d ms, %.0f simulated minutes from %s,"
            + " sweeps %s; function logs: infra/target/bench-logs/ScaleBenchmark.log%n",
        tenants,
        Math.round(tenants * HOT_SHARE),
        workers,
        xeroLatencyMs,
        minutes,
        start,
        paced ? "paced (SweepPacing.DEFAULT)" : "all queued at once");
    long wallStart = System.nanoTime();
    try (LocalAws aws = LocalAws.start()) {
      RateBudgets items = new RateBudgets(aws.dynamoDb(), aws.resources().tableName("Table"));
      budget =
          new TenantRateBudget(
              items, clock, new TenantRateBudget.Limits(RateLimiter.PER_MINUTE, 5000, appLimit));
      xero = new RateLimiter(clock, 5000, appLimit);
      simulate();
    }
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    Collections.sort(quietFreshnessMs);
    Collections.sort(hotFreshnessMs);
    int appRefusals = refusals.getOrDefault("appminute", 0);
    out.printf(
        "# %d Xero calls in %.0f simulated minutes (%d for sweeps), %.0f s of wall time%n",
        calls, minutes, sweepCalls, wallSeconds);
    out.println("app-limit-429s: " + appRefusals + " calls");
    out.println("tenant-limit-429s: " + (refusalsTotal() - appRefusals) + " calls");
    out.println("app-peak-calls-per-minute: " + peakPerMinute + " calls");
    out.println(
        "quiet-tenant-freshness-p99-s: " + seconds(percentile(quietFreshnessMs, 99)) + " s");
    out.println(
        "quiet-tenant-freshness-p50-s: " + seconds(percentile(quietFreshnessMs, 50)) + " s");
    out.println(
        "# quiet changes "
            + quietMade
            + ", synced "
            + quietFreshnessMs.size()
            + " (the rest still queued when the run ended), max "
            + seconds(last(quietFreshnessMs))
            + " s; hot changes "
            + hotFreshnessMs.size()
            + ", p99 "
            + seconds(percentile(hotFreshnessMs, 99))
            + " s (a burst queues behind Xero's 60 a minute for the tenant)");
    out.println("hot-tenant-freshness-p99-s: " + seconds(percentile(hotFreshnessMs, 99)) + " s");
    out.println("app-budget-item-peak-writes-per-s: " + appItemPeakWrites + " writes");
    out.println("tenant-budget-item-peak-writes-per-s: " + tenantItemPeakWrites + " writes");
    out.println("sweeps-done: " + sweepsDone + " sweeps");
    if (sweepsDone > 0) {
      out.printf(
          "# %d of %d sweeps done, the last %.1f min after the hour; deferrals %s;"
              + " workers busy at most %d of %d%n",
          sweepsDone,
          sweepsQueued,
          (lastSweepDoneAt - firstHourMs()) / 60_000.0,
          deferrals,
          busyWorkersPeak,
          workers);
    }
    printEgress(out);
    if (quietFreshnessMs.isEmpty()) {
      figures.problem("no quiet tenant's change was synced");
    }
    if (sweepsDone == 0) {
      figures.problem("no sweep ran");
    }
  }

  /**
   * A month of Xero egress for an idle tenant (the hourly sweep finding nothing, the daily
   * Organisation read) and a quiet one (the same, plus its changes at the rate this run made them,
   * each an {@code IDs=} read), from bytes per call measured on the simulator with our client.
   */
  private void printEgress(java.io.PrintStream out) throws Exception {
    EgressPerCall per = EgressPerCall.measure();
    double monthMinutes = 30 * 24 * 60;
    int quietTenants = tenants - (int) Math.round(tenants * HOT_SHARE);
    double changesPerMonth = quietMade / (double) quietTenants / minutes * monthMinutes;
    double idle = 30 * 24 * per.sweepBytes() + 30 * per.organisationBytes();
    double idlePlain = 30 * 24 * per.sweepPlainBytes() + 30 * per.organisationBytes();
    double quiet = idle + changesPerMonth * per.invoiceByIdBytes();
    double quietPlain = idlePlain + changesPerMonth * per.invoiceByIdPlainBytes();
    out.printf(
        "# egress per call (gzip / plain): empty sweep (6 reads) %d / %d B, one invoice by id %d / %d B,"
            + " Organisation %d B; a quiet tenant's %.0f changes a month%n",
        per.sweepBytes(),
        per.sweepPlainBytes(),
        per.invoiceByIdBytes(),
        per.invoiceByIdPlainBytes(),
        per.organisationBytes(),
        changesPerMonth);
    out.printf("idle-xero-egress-mb-per-tenant-month: %.2f MB%n", idle / 1e6);
    out.printf("xero-egress-mb-per-tenant-month: %.2f MB%n", quiet / 1e6);
    out.printf(
        "# without gzip: idle %.2f MB, quiet %.2f MB a month; allowance per connection at full"
            + " tier: Core 200 MB, Plus 50 MB, Advanced 25 MB%n",
        idlePlain / 1e6, quietPlain / 1e6);
  }

  // ---- the event loop

  private void at(long when, Runnable action) {
    events.add(new Event(when, seq++, action));
  }

  private void simulate() {
    groups = new Group[tenants];
    int hot = (int) Math.round(tenants * HOT_SHARE);
    for (int i = 0; i < tenants; i++) {
      groups[i] = new Group(String.format("scale-%05d", i), i < hot);
    }
    idleWorkers = workers;
    long end = (long) (minutes * 60_000);
    // Quiet tenants' changes: one Poisson stream over all of them.
    double quietPerMs = (tenants - hot) / (QUIET_CHANGE_EVERY_MIN * 60_000.0);
    scheduleQuiet(exponential(quietPerMs), quietPerMs, hot, end);
    for (int i = 0; i < hot; i++) {
      Group g = groups[i];
      scheduleHot(g, exponential(1.0 / (HOT_CHANGE_EVERY_S * 1000.0)), end);
      scheduleBurst(g, exponential(1.0 / (BURST_EVERY_MIN * 60_000.0)), end);
    }
    for (long hour = firstHourMs(); hour < end; hour += 3_600_000) {
      long fires = hour;
      at(fires, () -> queueSweeps(fires));
    }
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.at() > end) {
        break;
      }
      now = e.at();
      clock.set(start.plusMillis(now));
      e.action().run();
    }
  }

  private long firstHourMs() {
    long epochMs = start.toEpochMilli();
    return 3_600_000 - epochMs % 3_600_000;
  }

  private void scheduleQuiet(long when, double perMs, int hot, long end) {
    if (when > end) {
      return;
    }
    at(
        when,
        () -> {
          Group g = groups[hot + random.nextInt(tenants - hot)];
          quietMade++;
          arrive(g, new Message(Kind.CHANGE, now, now + PIPELINE_MS));
          scheduleQuiet(now + exponential(perMs), perMs, hot, end);
        });
  }

  private void scheduleHot(Group g, long when, long end) {
    if (when > end) {
      return;
    }
    at(
        when,
        () -> {
          arrive(g, new Message(Kind.CHANGE, now, now + PIPELINE_MS));
          scheduleHot(g, now + exponential(1.0 / (HOT_CHANGE_EVERY_S * 1000.0)), end);
        });
  }

  private void scheduleBurst(Group g, long when, long end) {
    if (when > end) {
      return;
    }
    at(
        when,
        () -> {
          long spacing = 60_000 / BURST_CHANGES;
          for (int i = 0; i < BURST_CHANGES; i++) {
            long made = now + i * spacing;
            at(made, () -> arrive(g, new Message(Kind.CHANGE, now, now + PIPELINE_MS)));
          }
          scheduleBurst(g, now + 60_000 + exponential(1.0 / (BURST_EVERY_MIN * 60_000.0)), end);
        });
  }

  /** ReconcileHandler's loop: every connected tenant, in the order the tenant index lists them. */
  private void queueSweeps(long fired) {
    for (int i = 0; i < tenants; i++) {
      Duration offset = paced ? SweepPacing.DEFAULT.offset(i, tenants) : Duration.ZERO;
      long visible =
          fired + offset.toMillis() + (offset.toMillis() < 1000 ? POLL_MS : DELAY_QUEUE_FORWARD_MS);
      Group g = groups[i];
      at(visible, () -> arrive(g, new Message(Kind.SWEEP, now, now)));
      sweepsQueued++;
    }
  }

  private void arrive(Group g, Message m) {
    if (m.visibleAt > now) {
      at(m.visibleAt, () -> arrive(g, m));
      return;
    }
    g.messages.addLast(m);
    offer(g);
    dispatch();
  }

  private void offer(Group g) {
    if (!g.inFlight && !g.queued && !g.messages.isEmpty()) {
      g.queued = true;
      ready.add(g);
    }
  }

  private void dispatch() {
    while (idleWorkers > 0 && !ready.isEmpty()) {
      Group g = ready.poll();
      g.queued = false;
      List<Message> batch = new ArrayList<>();
      while (batch.size() < BATCH && !g.messages.isEmpty()) {
        batch.add(g.messages.pollFirst());
      }
      g.inFlight = true;
      idleWorkers--;
      busyWorkersPeak = Math.max(busyWorkersPeak, workers - idleWorkers);
      List<Kind> planned = new ArrayList<>();
      List<Message> changes = batch.stream().filter(m -> m.kind == Kind.CHANGE).toList();
      if (!changes.isEmpty()) {
        planned.add(Kind.CHANGE);
      }
      batch.stream()
          .filter(m -> m.kind == Kind.SWEEP)
          .forEach(
              m -> {
                for (int i = 0; i < SWEEP_CALLS; i++) {
                  planned.add(Kind.SWEEP);
                }
              });
      at(now + POLL_MS, () -> call(g, batch, changes, planned, 0));
    }
  }

  /** The worker makes its batch's calls one after another, each asking the budget first. */
  private void call(
      Group g, List<Message> batch, List<Message> changes, List<Kind> planned, int done) {
    if (done == planned.size()) {
      long finished = now + STORE_MS;
      for (Message m : changes) {
        (g.hot ? hotFreshnessMs : quietFreshnessMs).add(finished - m.madeAt);
      }
      for (Message m : batch) {
        if (m.kind == Kind.SWEEP) {
          sweepsDone++;
          lastSweepDoneAt = finished;
        }
      }
      at(finished, () -> release(g));
      return;
    }
    Optional<CallBudget.Deferral> deferral = budget.acquire(g.tenantId);
    countBudgetWrites(g, deferral);
    if (deferral.isPresent()) {
      deferrals.merge(deferral.get().limit(), 1, Integer::sum);
      deferRest(g, batch, planned, done, deferral.get().delay().toMillis());
      return;
    }
    RateLimiter.Admission a = xero.acquire(APP, g.tenantId);
    if (!a.admitted()) {
      refusals.merge(a.problem(), 1, Integer::sum);
      budget.record(
          g.tenantId,
          new CallBudget.RateHeaders(
              429,
              a.minRemaining(),
              a.dayRemaining(),
              a.appMinRemaining(),
              a.problem(),
              Duration.ofSeconds(a.retryAfterSeconds())));
      deferRest(g, batch, planned, done, a.retryAfterSeconds() * 1000);
      return;
    }
    calls++;
    if (planned.get(done) == Kind.SWEEP) {
      sweepCalls++;
    }
    lastMinuteCalls.addLast(now);
    while (now - lastMinuteCalls.peekFirst() >= 60_000) {
      lastMinuteCalls.pollFirst();
    }
    peakPerMinute = Math.max(peakPerMinute, lastMinuteCalls.size());
    at(
        now + xeroLatencyMs,
        () -> {
          xero.release(APP, g.tenantId);
          call(g, batch, changes, planned, done + 1);
        });
  }

  /**
   * What the worker does with a deferral: the batch's messages go to the delay queue and come back
   * when the wait is over. (Changes already fetched are not fetched again: the worker only defers
   * what it has not done.)
   */
  private void deferRest(Group g, List<Message> batch, List<Kind> planned, int done, long waitMs) {
    long back = now + waitMs + DELAY_QUEUE_FORWARD_MS;
    boolean changesDone = !planned.isEmpty() && planned.get(0) == Kind.CHANGE && done > 0;
    int sweepCallsDone = done - (changesDone ? 1 : 0);
    int sweepsDoneHere = Math.max(0, sweepCallsDone) / SWEEP_CALLS;
    for (Message m : batch) {
      if (m.kind == Kind.CHANGE && changesDone) {
        (g.hot ? hotFreshnessMs : quietFreshnessMs).add(now + STORE_MS - m.madeAt);
        continue;
      }
      if (m.kind == Kind.SWEEP && sweepsDoneHere > 0) {
        sweepsDoneHere--;
        sweepsDone++;
        continue;
      }
      m.visibleAt = back;
      at(back, () -> arrive(g, m));
    }
    at(now + STORE_MS, () -> release(g));
  }

  private void release(Group g) {
    g.inFlight = false;
    idleWorkers++;
    offer(g);
    dispatch();
  }

  /**
   * The budget's DynamoDB writes per simulated second: the tenant's item on every call it takes,
   * and the app-wide item on every call that got past the tenant's own window.
   */
  private void countBudgetWrites(Group g, Optional<CallBudget.Deferral> deferral) {
    if (deferral.isPresent() && !deferral.get().limit().equals("appminute")) {
      return;
    }
    long second = now / 1000;
    if (second != appSecond) {
      appSecond = second;
      appSecondWrites = 0;
    }
    appItemPeakWrites = Math.max(appItemPeakWrites, ++appSecondWrites);
    long[] t = tenantSecond.computeIfAbsent(g.tenantId, k -> new long[] {-1, 0});
    if (t[0] != second) {
      t[0] = second;
      t[1] = 0;
    }
    tenantItemPeakWrites = Math.max(tenantItemPeakWrites, (int) ++t[1]);
  }

  private int refusalsTotal() {
    return refusals.values().stream().mapToInt(i -> i).sum();
  }

  /** A Poisson process's next gap. */
  private long exponential(double perMs) {
    return (long) (-Math.log(1 - random.nextDouble()) / perMs);
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static long last(List<Long> sorted) {
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
  }

  private static String seconds(long ms) {
    return ms < 0 ? "-1" : String.format("%.2f", ms / 1000.0);
  }
}
