package dev.xerosync.bench;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.notify.DueDateEvents;
import dev.xerosync.notify.EventPublishers;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.EventTypes;
import dev.xerosync.store.Connections;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.LoggedEvent;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import dev.xerosync.xero.XeroPayment;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code invoice.overdue} across a simulated midnight in three organisations' timezones (Pacific/
 * Auckland, Europe/London, America/Los_Angeles): invoices due on one day, a third of them paid
 * before their organisation's midnight, the due-date schedule run every 15 minutes of a simulated
 * clock from before the first midnight to after the last, against the template's table in the
 * DynamoDB stand-in. Counts the unpaid invoices that got no overdue event ({@code
 * overdue-events-missed}, target 0), events for paid invoices or logged twice ({@code
 * overdue-events-wrong}, target 0), and the index Queries a run costs.
 *
 * <p>{@code ./dev bench OverdueBenchmark} for 300 invoices per organisation, {@code quick} for 30.
 */
public final class OverdueBenchmark {
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("Pacific/Auckland"),
          ZoneId.of("Europe/London"),
          ZoneId.of("America/Los_Angeles"));
  private static final LocalDate DUE = LocalDate.of(2030, 10, 27); // Europe's DST ends that day.

  public static void main(String[] args) {
    Figures figures = Figures.to(System.out);
    figures.require("overdue-events-missed", "overdue-events-wrong", "overdue-runs");
    figures.run(() -> measure(args, figures));
  }

  /** A clock the benchmark moves. */
  private static final class SimClock extends Clock {
    private Instant now;

    SimClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static void measure(String[] args, Figures figures) throws Exception {
    PrintStream out = figures.out();
    int perOrg = args.length > 0 && args[0].equals("quick") ? 30 : 300;
    try (var aws = LocalAws.start()) {
      var dynamo = aws.dynamoDb();
      String table = aws.resources().tableName("Table");
      SimClock clock = new SimClock(DUE.minusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant());
      InvoiceStore store = new InvoiceStore(dynamo, table, clock);
      EventLog log = new EventLog(dynamo, table, clock);
      Map<String, Set<String>> unpaid = new HashMap<>();
      Map<String, Set<String>> paid = new HashMap<>();
      Map<String, ZoneId> zones = new HashMap<>();
      for (ZoneId zone : ZONES) {
        String tenant = UUID.randomUUID().toString();
        zones.put(tenant, zone);
        new Connections(dynamo, table)
            .putOrganisation(tenant, new XeroOrganisation("Org", "!b", null, zone, "NZD"));
        unpaid.put(tenant, new HashSet<>());
        paid.put(tenant, new HashSet<>());
        for (int i = 0; i < perOrg; i++) {
          String id = UUID.randomUUID().toString();
          store.upsert(tenant, invoice(id, "AUTHORISED", "100", clock.instant()));
          (i % 3 == 0 ? paid : unpaid).get(tenant).add(id);
        }
      }
      DueDateEvents schedule =
          new DueDateEvents(
              new DueDateIndex(dynamo, table, "bench-" + UUID.randomUUID()),
              store,
              log,
              new EventRelay(log, EventPublishers.NOT_DELIVERED),
              3,
              clock);
      Instant first =
          ZONES.stream()
              .map(z -> DueDateIndex.overdueAt(DUE, z))
              .min(Instant::compareTo)
              .orElseThrow();
      Instant last =
          ZONES.stream()
              .map(z -> DueDateIndex.overdueAt(DUE, z))
              .max(Instant::compareTo)
              .orElseThrow();
      int runs = 0;
      Set<String> paidOff = new HashSet<>();
      for (clock.now = first.minus(Duration.ofHours(2));
          !clock.now.isAfter(last.plus(Duration.ofHours(1)));
          clock.now = clock.now.plus(Duration.ofMinutes(15))) {
        // An hour before each organisation's midnight, its third to be paid is paid.
        for (var e : paid.entrySet()) {
          Instant line = DueDateIndex.overdueAt(DUE, zones.get(e.getKey()));
          if (!paidOff.contains(e.getKey()) && clock.now.isAfter(line.minus(Duration.ofHours(1)))) {
            for (String id : e.getValue()) {
              store.upsert(e.getKey(), invoice(id, "PAID", "0", clock.now));
            }
            paidOff.add(e.getKey());
          }
        }
        schedule.run();
        runs++;
      }
      int missed = 0;
      int wrong = 0;
      for (String tenant : zones.keySet()) {
        List<LoggedEvent> events = new ArrayList<>();
        long after = 0;
        while (true) {
          EventLog.Page page = log.page(tenant, after, 500, Set.of(EventTypes.INVOICE_OVERDUE));
          events.addAll(page.events());
          after = page.through();
          if (!page.more()) {
            break;
          }
        }
        Set<String> got = new HashSet<>();
        for (LoggedEvent e : events) {
          if (!got.add(e.subjectId()) || !unpaid.get(tenant).contains(e.subjectId())) {
            wrong++;
          }
          if (!e.occurredAt().equals(DueDateIndex.overdueAt(DUE, zones.get(tenant)))) {
            wrong++;
          }
        }
        for (String id : unpaid.get(tenant)) {
          if (!got.contains(id)) {
            missed++;
          }
        }
      }
      out.printf("overdue-events-missed: %d events (of %d unpaid invoices)%n", missed, 2 * perOrg);
      out.printf("overdue-events-wrong: %d events%n", wrong);
      out.printf("overdue-runs: %d runs of the 15-minute schedule%n", runs);
      if (missed > 0 || wrong > 0) {
        figures.problem(missed + " overdue events missed, " + wrong + " wrong");
      }
    }
  }

  private static XeroInvoice invoice(String id, String status, String due, Instant updated) {
    BigDecimal total = new BigDecimal("100");
    boolean settled = "0".equals(due);
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 6),
        null,
        "ACCREC",
        status,
        "contact-1",
        "Acme",
        DUE.minusDays(30),
        DUE,
        "NZD",
        total,
        BigDecimal.ZERO,
        total,
        new BigDecimal(due),
        settled ? total : BigDecimal.ZERO,
        BigDecimal.ZERO,
        settled ? DUE : null,
        updated.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        settled ? List.of(new XeroPayment("p-" + id, DUE, total, "paid")) : List.of(),
        List.of());
  }
}
