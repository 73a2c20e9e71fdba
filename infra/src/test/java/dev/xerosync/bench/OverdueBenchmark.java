package dev.xerosync.bench;

import dev.xerosync.notify.DueDateEvents;
import dev.xerosync.notify.DueDateScenario;
import dev.xerosync.notify.EventTypes;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.LoggedEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * overdue-events-missed}, target 0), events for paid invoices, logged twice or at another instant
 * ({@code overdue-events-wrong}, target 0), and the schedule's runs ({@code overdue-runs}).
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

  private static void measure(String[] args, Figures figures) {
    PrintStream out = figures.out();
    int perOrg = args.length > 0 && args[0].equals("quick") ? 30 : 300;
    // The table alone (the DynamoDB stand-in), as the schedule's own test has it: no queue is used.
    DueDateScenario scenario =
        new DueDateScenario(DUE.minusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant());
    Map<String, Set<String>> unpaid = new HashMap<>();
    Map<String, Set<String>> paid = new HashMap<>();
    Map<String, ZoneId> zones = new HashMap<>();
    for (ZoneId zone : ZONES) {
      String tenant = scenario.organisation(zone);
      zones.put(tenant, zone);
      unpaid.put(tenant, new HashSet<>());
      paid.put(tenant, new HashSet<>());
      for (int i = 0; i < perOrg; i++) {
        String id = UUID.randomUUID().toString();
        scenario.unpaid(tenant, id, DUE);
        (i % 3 == 0 ? paid : unpaid).get(tenant).add(id);
      }
    }
    DueDateEvents schedule = scenario.schedule("bench-" + UUID.randomUUID(), 3);
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
    for (Instant now = first.minus(Duration.ofHours(2));
        !now.isAfter(last.plus(Duration.ofHours(1)));
        now = now.plus(Duration.ofMinutes(15))) {
      scenario.clock().set(now);
      // An hour before each organisation's midnight, its third to be paid is paid.
      for (var e : paid.entrySet()) {
        Instant line = DueDateIndex.overdueAt(DUE, zones.get(e.getKey()));
        if (!paidOff.contains(e.getKey()) && now.isAfter(line.minus(Duration.ofHours(1)))) {
          for (String id : e.getValue()) {
            scenario.paid(e.getKey(), id, DUE);
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
      Set<String> got = new HashSet<>();
      for (LoggedEvent e : scenario.events(tenant, Set.of(EventTypes.INVOICE_OVERDUE))) {
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
