package dev.xerosync.bench;

import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.xero.SimClock;
import dev.xerosync.infra.xero.ratelimit.RateLimiter;
import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.sync.SweepPacing;
import dev.xerosync.syncengine.ChangeFetchPlan;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./dev bench ScaleBenchmark [quick] [--tenants=N] [--workers=N] [--minutes=N]
 * [--lead-minutes=N] [--sweeps=paced|at-once|hourly] [--xero-latency-ms=N] [--app-limit=N]
 * [--dynamodb=in-process|http]}: thousands of connected tenants under Xero's app-wide limit of
 * 10,000 calls a minute (or {@code --app-limit}, for both the simulator and our budget, to make it
 * bind), in simulated time.
 *
 * <p>What is real: the simulator's {@link RateLimiter} judges every call (its refusals are the 429s
 * counted here, its rolling windows are Xero's), our {@link TenantRateBudget} decides every call
 * against its items in DynamoDB (the local stand-in's database, handed each request in-process by
 * {@link InProcessDynamoDb}, or over HTTP with {@code --dynamodb=http}: the same decisions, a
 * fraction of the time), our {@link SweepPacing} chooses and dates every sweep, and our {@link
 * ChangeFetchPlan} decides how each batch of changes is fetched (by {@code IDs=} or by
 * If-Modified-Since, at once or paced). All read one {@link SimClock} that the event loop moves
 * from event to event, so an hour of traffic takes minutes, not an hour.
 *
 * <p>What is modelled: the path around them. Lambda's SQS poller hands a worker up to 10 messages
 * of one FIFO group (one tenant), oldest group first, at most {@code workers} batches at once (the
 * template's MaximumConcurrency, read from template.yaml); a batch's changes not covered by an
 * earlier read by date are fetched as ChangeFetchPlan decides: one {@code IDs=} call per 50, or one
 * If-Modified-Since read per 1,000 invoices changed since its date, after the wait it asks for (the
 * worker waits, as the sync does); a sweep makes the reads Reconciliation makes (invoices, one more
 * page per 1,000 changed since the last sweep, payments, credit notes, overpayments, prepayments,
 * contacts, and the Organisation once a day), and is clean unless a change of the tenant was still
 * unsynced when it started; a deferred message waits in the delay queue and comes back; latencies
 * are fixed (webhook to queue {@value #PIPELINE_MS} ms, each Xero call {@code --xero-latency-ms},
 * storing {@value #STORE_MS} ms).
 *
 * <p>The mix: 1% hot tenants (a change every {@value #HOT_CHANGE_EVERY_S} s on average, and a burst
 * of {@value #BURST_CHANGES} changes in a minute about every {@value #BURST_EVERY_MIN} minutes);
 * the rest quiet (a change every {@value #QUIET_CHANGE_EVERY_MIN} minutes on average); an hourly
 * schedule at the top of every hour, sweeping the tenants SweepPacing finds due (one whose last
 * sweep was clean every third hour on its turn, the others every hour; {@code --sweeps=hourly}
 * sweeps every tenant every hour). The run starts {@code --lead-minutes} (5) before the hour and
 * lasts 50 simulated minutes; a quiet tenant starts as if cleanly swept on its last turn, a hot one
 * as if its last sweep, an hour before, had found something. {@code quick} simulates 10 minutes of
 * 1,000 tenants, a smoke run.
 */
public final class ScaleBenchmark {
  static final long PIPELINE_MS = 150;
  static final long STORE_MS = 20;
  static final long POLL_MS = 20;
  static final long DELAY_QUEUE_FORWARD_MS = 100;
  static final int BATCH = 10;

  /** Invoices, payments, credit notes, overpayments, prepayments, contacts (Reconciliation). */
  static final int SWEEP_CALLS = 6;

  static final int PAGE_SIZE = 1000;
  static final int IDS_PER_CALL = 50;
  static final double HOT_SHARE = 0.01;
  static final int HOT_CHANGE_EVERY_S = 10;
  static final int BURST_CHANGES = 300;
  static final int BURST_EVERY_MIN = 20;
  static final int QUIET_CHANGE_EVERY_MIN = 30;
  static final String APP = "scale-bench-app";

  private int tenants = 5000;
  private int workers = templateConcurrency();
  private long xeroLatencyMs = 300;
  private int appLimit = RateLimiter.APP_PER_MINUTE;
  private double minutes = 50;
  private int leadMinutes = 5;
  private boolean paced = true;
  private SweepPacing pacing = SweepPacing.DEFAULT;
  private boolean inProcess = true;

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
  private long sweepsSkipped;
  private long cleanSweeps;
  private long bySinceReads;
  private long idsCalls;
  private long coveredChanges;
  private long pacedWaits;
  private long organisationReads;
  private long workerInvocations;
  private long workerBusyMs;
  private long changeMessages;
  private long delayQueueSends;
  private long sweepMessages;
  private int firings;
  private long deferralSends;

  record Event(long at, long seq, Runnable action) {}

  enum Kind {
    CHANGE,
    SWEEP
  }

  static final class Message {
    final Kind kind;
    final long madeAt;
    long visibleAt;
    boolean synced;

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
    ChangeFetches.ChangeFetch fetch = ChangeFetches.ChangeFetch.NONE;

    /** When its recent changes were made (the last 10 minutes), for what a read by date finds. */
    final Deque<Long> recent = new ArrayDeque<>();

    int unsynced;
    int changesSinceSweep;
    long organisationFetchedAt;
    Instant sweptAt;
    boolean sweepClean;

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
        b.pacing = new SweepPacing(2, Duration.ofHours(1));
      } else if (a.equals("--sweeps=hourly")) {
        b.pacing = new SweepPacing(2, Duration.ofHours(1));
      } else if (a.equals("--dynamodb=http")) {
        b.inProcess = false;
      } else if (!a.equals("--sweeps=paced") && !a.equals("--dynamodb=in-process")) {
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
            + " sweeps %s, DynamoDB %s; function logs: infra/target/bench-logs/ScaleBenchmark.log%n",
        tenants,
        Math.round(tenants * HOT_SHARE),
        workers,
        xeroLatencyMs,
        minutes,
        start,
        !paced
            ? "all queued at once, hourly"
            : pacing.quietPeriod().equals(pacing.period())
                ? "paced, every tenant hourly"
                : "paced, clean quiet tenants every " + pacing.quietPeriod().toHours() + " h",
        inProcess ? "in-process" : "over HTTP");
    long wallStart = System.nanoTime();
    long cpuStart = cpuNanos();
    if (inProcess) {
      DynamoDbClient dynamo = InProcessDynamoDb.start(clock);
      simulate(dynamo, InProcessDynamoDb.createTable(dynamo));
    } else {
      try (LocalAws aws = LocalAws.start()) {
        simulate(aws.dynamoDb(), aws.resources().tableName("Table"));
      }
    }
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
    Collections.sort(quietFreshnessMs);
    Collections.sort(hotFreshnessMs);
    int appRefusals = refusals.getOrDefault("appminute", 0);
    out.printf(
        "# %d Xero calls in %.0f simulated minutes (%d for sweeps), %.0f s of wall time, %.0f s of"
            + " CPU (the simulation, all threads)%n",
        calls, minutes, sweepCalls, wallSeconds, cpuSeconds);
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
            + " s");
    out.println("hot-tenant-freshness-p99-s: " + seconds(percentile(hotFreshnessMs, 99)) + " s");
    out.println("app-budget-item-peak-writes-per-s: " + appItemPeakWrites + " writes");
    out.println("tenant-budget-item-peak-writes-per-s: " + tenantItemPeakWrites + " writes");
    out.println("sweeps-done: " + sweepsDone + " sweeps");
    out.printf(
        "# changes: %d by IDs= calls, %d reads by date, %d covered by an earlier read (no call),"
            + " %d paced waits; %d Organisation reads%n",
        idsCalls, bySinceReads, coveredChanges, pacedWaits, organisationReads);
    if (sweepsDone > 0) {
      out.printf(
          "# %d of %d sweeps done (%d clean), %d tenants not due; the last %.1f min after the"
              + " hour; deferrals %s; workers busy at most %d of %d%n",
          sweepsDone,
          sweepsQueued,
          cleanSweeps,
          sweepsSkipped,
          (lastSweepDoneAt - firstHourMs()) / 60_000.0,
          deferrals,
          busyWorkersPeak,
          workers);
    }
    printCounts(out);
    printEgress(out);
    if (quietFreshnessMs.isEmpty()) {
      figures.problem("no quiet tenant's change was synced");
    }
    if (sweepsDone == 0) {
      figures.problem("no sweep ran");
    }
  }

  /**
   * What the run did, per simulated hour, for the cost of running it (docs/deploy.md): Xero calls,
   * worker invocations and their busy time, webhook requests (one per change: Xero may fold several
   * into one delivery, so at most this), SQS requests (FIFO: a send per change and per sweep, a
   * receive and a delete per worker batch; the standard delay queue: a send, a receive and a delete
   * per hop), and the budget's DynamoDB capacity as the stand-in counts it.
   */
  private void printCounts(java.io.PrintStream out) {
    double perHour = 60 / minutes;
    out.printf("xero-calls-per-hour: %.0f calls%n", calls * perHour);
    out.printf("worker-invocations-per-hour: %.0f invocations%n", workerInvocations * perHour);
    out.printf("worker-busy-s-per-hour: %.0f s%n", workerBusyMs / 1000.0 * perHour);
    out.printf("webhook-requests-per-hour: %.0f requests%n", changeMessages * perHour);
    // The schedule fires once an hour: its sweeps count per firing, not per simulated minute.
    double perFiring = 1.0 / Math.max(1, firings);
    out.printf(
        "sqs-fifo-requests-per-hour: %.0f requests%n",
        (changeMessages + 2.0 * workerInvocations) * perHour + sweepMessages * perFiring);
    out.printf(
        "sqs-delay-requests-per-hour: %.0f requests%n",
        3.0 * (delayQueueSends * perFiring + deferralSends * perHour));
    if (inProcess) {
      out.printf("budget-rcu-per-hour: %.0f units%n", InProcessDynamoDb.units(true) * perHour);
      out.printf("budget-wcu-per-hour: %.0f units%n", InProcessDynamoDb.units(false) * perHour);
      out.printf("# rate budget per simulated hour: %s%n", InProcessDynamoDb.usage(perHour));
    }
  }

  private static long cpuNanos() {
    var bean = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static int templateConcurrency() {
    var events =
        CloudFormationTemplate.fromClasspath()
            .resource("SyncWorkerFunction")
            .path("Properties")
            .path("Events");
    for (var e : events) {
      var max = e.path("Properties").path("ScalingConfig").path("MaximumConcurrency");
      if (max.isInt()) {
        return max.asInt();
      }
    }
    throw new IllegalStateException("SyncWorkerFunction has no MaximumConcurrency");
  }

  /**
   * A month of Xero egress for an idle tenant (its sweeps finding nothing, the daily Organisation
   * read) and a quiet one (the same, plus its changes at the rate this run made them, each an
   * {@code IDs=} read), from bytes per call measured on the simulator with our client.
   */
  private void printEgress(java.io.PrintStream out) throws Exception {
    EgressPerCall per = EgressPerCall.measure();
    double monthMinutes = 30 * 24 * 60;
    int quietTenants = tenants - (int) Math.round(tenants * HOT_SHARE);
    double changesPerMonth = quietMade / (double) quietTenants / minutes * monthMinutes;
    // A quiet tenant's sweeps are clean, so it is swept every quiet period (SweepPacing).
    double sweeps = monthMinutes / pacing.quietPeriod().toMinutes();
    double idle = sweeps * per.sweepBytes() + 30 * per.organisationBytes();
    double idlePlain = sweeps * per.sweepPlainBytes() + 30 * per.organisationBytes();
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

  private void simulate(DynamoDbClient dynamo, String table) {
    RateBudgets items = new RateBudgets(dynamo, table);
    budget =
        new TenantRateBudget(
            items, clock, new TenantRateBudget.Limits(RateLimiter.PER_MINUTE, 5000, appLimit));
    xero = new RateLimiter(clock, 5000, appLimit);
    groups = new Group[tenants];
    int hot = (int) Math.round(tenants * HOT_SHARE);
    Instant firstHour = start.plusMillis(firstHourMs());
    for (int i = 0; i < tenants; i++) {
      Group g = new Group(String.format("scale-%05d", i), i < hot);
      // In steady state: swept on its last turn before the run, at a random point of that hour.
      g.sweepClean = !g.hot;
      for (int h = 1; h <= 24; h++) {
        Instant fired = firstHour.minus(pacing.period().multipliedBy(h));
        if (!paced || pacing.due(g.tenantId, fired, fired.minus(pacing.period()), g.sweepClean)) {
          g.sweptAt = fired.plusMillis((long) (random.nextDouble() * 50 * 60_000));
          break;
        }
      }
      g.organisationFetchedAt = -(long) (random.nextDouble() * 86_400_000);
      groups[i] = g;
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

  /** A change Xero makes now: its webhook's message reaches the queue after the pipeline. */
  private void change(Group g) {
    g.unsynced++;
    g.changesSinceSweep++;
    g.recent.addLast(now);
    while (now - g.recent.peekFirst() > 600_000) {
      g.recent.pollFirst();
    }
    changeMessages++;
    arrive(g, new Message(Kind.CHANGE, now, now + PIPELINE_MS));
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
          change(g);
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
          change(g);
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
            at(now + i * spacing, () -> change(g));
          }
          scheduleBurst(g, now + 60_000 + exponential(1.0 / (BURST_EVERY_MIN * 60_000.0)), end);
        });
  }

  /**
   * ReconcileHandler: every connected tenant that SweepPacing finds due, in the order the tenant
   * index lists them, paced over the hour.
   */
  private void queueSweeps(long fired) {
    firings++;
    Instant at = start.plusMillis(fired);
    List<Group> due = new ArrayList<>();
    for (Group g : groups) {
      if (!paced || pacing.due(g.tenantId, at, g.sweptAt, g.sweepClean)) {
        due.add(g);
      } else {
        sweepsSkipped++;
      }
    }
    for (int i = 0; i < due.size(); i++) {
      Duration offset = paced ? pacing.offset(i, due.size()) : Duration.ZERO;
      long delay = offset.toMillis() < 1000 ? POLL_MS : offset.toMillis() + DELAY_QUEUE_FORWARD_MS;
      if (offset.toMillis() >= 1000) {
        // SQS delays a message at most 15 minutes: a longer wait hops through the delay queue.
        delayQueueSends += (offset.toMillis() + 899_999) / 900_000;
      }
      Group g = due.get(i);
      sweepMessages++;
      at(fired + delay, () -> arrive(g, new Message(Kind.SWEEP, now, now)));
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

  /** A worker's batch: its messages, the calls planned so far, and how many are done. */
  final class Work {
    final Group g;
    final long startedAt;
    final List<Message> batch;
    final List<Message> changes;
    final List<Kind> planned = new ArrayList<>();
    int done;

    /** Calls of the change fetch; its record is kept once they are all done. */
    int changeCalls;

    ChangeFetches.ChangeFetch fetchAfter;

    /** Per sweep in the batch: its calls, and whether it is clean. */
    final List<Integer> sweepCallCounts = new ArrayList<>();

    boolean sweepsClean = true;

    Work(Group g, List<Message> batch) {
      this.g = g;
      this.startedAt = now;
      this.batch = batch;
      this.changes = batch.stream().filter(m -> m.kind == Kind.CHANGE).toList();
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
      workerInvocations++;
      busyWorkersPeak = Math.max(busyWorkersPeak, workers - idleWorkers);
      Work w = new Work(g, batch);
      at(now + POLL_MS, () -> planChanges(w));
    }
  }

  /**
   * ChangeSync's plan for the batch's changes: those an earlier read by date covered cost nothing;
   * the rest are fetched as ChangeFetchPlan decides, after the wait it asks for.
   */
  private void planChanges(Work w) {
    Group g = w.g;
    Instant at = clock.instant();
    List<Message> left = new ArrayList<>();
    for (Message m : w.changes) {
      Instant sentAt = start.plusMillis(m.madeAt + PIPELINE_MS);
      Instant changedAt = start.plusMillis(m.madeAt);
      boolean covered = ChangeFetchPlan.changeSeen(g.fetch, sentAt, changedAt);
      if (covered) {
        coveredChanges++;
      } else {
        left.add(m);
      }
    }
    if (left.isEmpty()) {
      planSweeps(w);
      return;
    }
    ChangeFetchPlan.Decision plan =
        ChangeFetchPlan.decide(
            g.fetch,
            at,
            left.size(),
            Math.min(left.size(), IDS_PER_CALL),
            () -> budget.room(g.tenantId));
    long waitMs = Duration.between(at, plan.notBefore()).toMillis();
    if (waitMs > 0) {
      pacedWaits++;
      at(now + waitMs, () -> fetchChanges(w, left, plan.bySince()));
    } else {
      fetchChanges(w, left, plan.bySince());
    }
  }

  private void fetchChanges(Work w, List<Message> left, boolean bySince) {
    Group g = w.g;
    Instant startedAt = clock.instant();
    int changed = left.size();
    Instant since = null;
    int byIds = left.size();
    if (bySince) {
      List<Instant> sent = new ArrayList<>();
      left.forEach(m -> sent.add(start.plusMillis(m.madeAt + PIPELINE_MS)));
      since = ChangeFetchPlan.since(g.fetch, sent, startedAt);
      // What the read finds: every change Xero dated after its If-Modified-Since (whole seconds).
      long from = since.toEpochMilli() / 1000 * 1000 + 1000 - start.toEpochMilli();
      int found = 0;
      for (long made : g.recent) {
        if (made >= from && made <= now) {
          found++;
        }
      }
      int pages = found / PAGE_SIZE + 1;
      for (int i = 0; i < pages; i++) {
        w.planned.add(Kind.CHANGE);
      }
      bySinceReads++;
      changed = Math.max(changed, found);
      byIds = (int) left.stream().filter(m -> m.madeAt < from).count();
    }
    int idCalls = (byIds + IDS_PER_CALL - 1) / IDS_PER_CALL;
    idsCalls += idCalls;
    for (int i = 0; i < idCalls; i++) {
      w.planned.add(Kind.CHANGE);
    }
    w.changeCalls = w.planned.size();
    w.fetchAfter = ChangeFetchPlan.after(g.fetch, startedAt, changed, since);
    planSweeps(w);
  }

  /** Reconciliation's reads for each sweep in the batch (after the changes, as the worker does). */
  private void planSweeps(Work w) {
    Group g = w.g;
    for (Message m : w.batch) {
      if (m.kind != Kind.SWEEP) {
        continue;
      }
      int n = SWEEP_CALLS + g.changesSinceSweep / PAGE_SIZE;
      if (now - g.organisationFetchedAt > 86_400_000) {
        n++;
        organisationReads++;
        g.organisationFetchedAt = now;
      }
      g.changesSinceSweep = 0;
      // Clean unless a change not yet synced (other than this batch's own) is there to be read.
      w.sweepsClean = g.unsynced - w.changes.size() == 0;
      w.sweepCallCounts.add(n);
      for (int i = 0; i < n; i++) {
        w.planned.add(Kind.SWEEP);
      }
    }
    call(w);
  }

  /** The worker makes its batch's calls one after another, each asking the budget first. */
  private void call(Work w) {
    Group g = w.g;
    if (w.done == w.planned.size()) {
      long finished = now + STORE_MS;
      if (w.fetchAfter != null) {
        g.fetch = w.fetchAfter;
      }
      for (Message m : w.changes) {
        synced(g, m, finished);
      }
      for (int i = 0; i < w.sweepCallCounts.size(); i++) {
        sweepDone(g, w, finished);
      }
      at(finished, () -> release(w));
      return;
    }
    Optional<CallBudget.Deferral> deferral = budget.acquire(g.tenantId);
    countBudgetWrites(g, deferral);
    if (deferral.isPresent()) {
      deferrals.merge(deferral.get().limit(), 1, Integer::sum);
      deferRest(w, deferral.get().delay().toMillis());
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
      deferRest(w, a.retryAfterSeconds() * 1000);
      return;
    }
    // Every answer's headers, as the client records them (the app's remaining count).
    budget.record(
        g.tenantId,
        new CallBudget.RateHeaders(
            200, a.minRemaining(), a.dayRemaining(), a.appMinRemaining(), null, null));
    calls++;
    if (w.planned.get(w.done) == Kind.SWEEP) {
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
          w.done++;
          call(w);
        });
  }

  private void synced(Group g, Message m, long at) {
    if (!m.synced) {
      m.synced = true;
      g.unsynced--;
      (g.hot ? hotFreshnessMs : quietFreshnessMs).add(at - m.madeAt);
    }
  }

  private void sweepDone(Group g, Work w, long at) {
    sweepsDone++;
    lastSweepDoneAt = at;
    g.sweptAt = start.plusMillis(w.startedAt);
    g.sweepClean = w.sweepsClean;
    if (w.sweepsClean) {
      cleanSweeps++;
    }
  }

  /**
   * What the worker does with a deferral: what it has not done goes to the delay queue and comes
   * back when the wait is over. Changes whose calls are all done are stored; a sweep whose calls
   * are all done is done.
   */
  private void deferRest(Work w, long waitMs) {
    Group g = w.g;
    long back = now + waitMs + DELAY_QUEUE_FORWARD_MS;
    boolean changesDone = w.done >= w.changeCalls;
    if (changesDone && w.fetchAfter != null) {
      g.fetch = w.fetchAfter;
    }
    int sweepCallsDone = w.done - w.changeCalls;
    int sweepsDoneHere = 0;
    for (int n : w.sweepCallCounts) {
      if (sweepCallsDone >= n) {
        sweepCallsDone -= n;
        sweepsDoneHere++;
      } else {
        break;
      }
    }
    for (Message m : w.batch) {
      if (m.kind == Kind.CHANGE && changesDone) {
        synced(g, m, now + STORE_MS);
        continue;
      }
      if (m.kind == Kind.SWEEP && sweepsDoneHere > 0) {
        sweepsDoneHere--;
        sweepDone(g, w, now + STORE_MS);
        continue;
      }
      m.visibleAt = back;
      deferralSends++;
      at(back, () -> arrive(g, m));
    }
    at(now + STORE_MS, () -> release(w));
  }

  private void release(Work w) {
    workerBusyMs += now - w.startedAt + POLL_MS;
    Group g = w.g;
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
