package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.Backfill;
import dev.xerosync.store.DueDateBackfill;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.LoggedEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The clock's events across the organisation's midnight, with a fixed clock, in three timezones:
 * nothing a minute before the line, exactly one event after it, none on the next runs, and none for
 * an invoice paid before the line or due a day later.
 */
class DueDateEventsTest {
  private static final int DUE_SOON_DAYS = 3;

  @ParameterizedTest
  @CsvSource({"Pacific/Auckland,2031", "Europe/London,2032", "America/Los_Angeles,2033"})
  void overdueAndDueSoonFireOnceAtTheOrganisationsMidnight(String zoneId, int year) {
    ZoneId zone = ZoneId.of(zoneId);
    LocalDate due = LocalDate.of(year, 3, 28); // Around Europe's DST change, on purpose.
    DueDateScenario scenario =
        new DueDateScenario(due.minusDays(30).atStartOfDay(zone).toInstant());
    DueDateScenario.MovableClock clock = scenario.clock();
    String tenant = scenario.organisation(zone);
    String open = UUID.randomUUID().toString();
    String paidBefore = UUID.randomUUID().toString();
    String dueLater = UUID.randomUUID().toString();
    scenario.unpaid(tenant, open, due);
    scenario.unpaid(tenant, paidBefore, due);
    scenario.unpaid(tenant, dueLater, due.plusDays(1));

    DueDateEvents events = scenario.schedule("soon-" + tenant, DUE_SOON_DAYS);

    // Due soon: the start of the day three days before the due date, local time.
    LocalDateTime soonLine = due.minusDays(DUE_SOON_DAYS).atStartOfDay();
    clock.set(soonLine.minusMinutes(10).atZone(zone).toInstant());
    events.run();
    assertThat(types(scenario, tenant)).isEmpty();
    clock.set(soonLine.plusMinutes(5).atZone(zone).toInstant());
    events.run();
    assertThat(types(scenario, tenant))
        .containsExactly(EventTypes.INVOICE_DUE_SOON, EventTypes.INVOICE_DUE_SOON);

    // Paid before the line: no overdue for it.
    scenario.paid(tenant, paidBefore, due);

    // Every 15 minutes across the organisation's midnight after the due date (a schedule whose
    // last run was 15 minutes before the first here, so each run reads a 75-minute window).
    events = scenario.schedule("midnight-" + tenant, DUE_SOON_DAYS);
    LocalDateTime line = due.plusDays(1).atStartOfDay();
    for (Instant at = line.minusHours(2).atZone(zone).toInstant();
        at.isBefore(line.atZone(zone).toInstant());
        at = at.plusSeconds(15 * 60)) {
      clock.set(at);
      events.run();
    }
    clock.set(line.atZone(zone).toInstant().minusSeconds(1));
    events.run();
    assertThat(types(scenario, tenant))
        .containsExactly(EventTypes.INVOICE_DUE_SOON, EventTypes.INVOICE_DUE_SOON);
    for (int i = 0; i < 4; i++) {
      clock.set(line.plusMinutes(1 + 15L * i).atZone(zone).toInstant());
      events.run();
    }
    List<LoggedEvent> logged = scenario.events(tenant, null);
    assertThat(logged.subList(0, 2))
        .extracting(LoggedEvent::type, LoggedEvent::subjectId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_DUE_SOON, open),
            org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_DUE_SOON, paidBefore));
    assertThat(logged).hasSize(3);
    assertThat(logged.get(2).type()).isEqualTo(EventTypes.INVOICE_OVERDUE);
    assertThat(logged.get(2).subjectId()).isEqualTo(open);
    LoggedEvent overdue = logged.get(2);
    assertThat(overdue.occurredAt()).isEqualTo(line.atZone(zone).toInstant());
    assertThat(overdue.data().path("invoiceId").asText()).isEqualTo(open);
    assertThat(overdue.data().path("overdue").asBoolean()).isTrue();
  }

  /**
   * An unpaid invoice stored before the index existed (no index keys) gets them from the backfill
   * the schedule runs first, and goes overdue at its line; a paid one stays out of the index, and
   * once the Scan is through, later runs only read the backfill's progress.
   */
  @Test
  void invoicesStoredBeforeTheIndexAreKeyedByTheBackfillAndGoOverdue() {
    ZoneId zone = ZoneId.of("Pacific/Auckland");
    LocalDate due = LocalDate.of(2034, 6, 12);
    DueDateScenario scenario =
        new DueDateScenario(due.minusDays(30).atStartOfDay(zone).toInstant());
    String tenant = scenario.organisation(zone);
    String open = UUID.randomUUID().toString();
    String paid = UUID.randomUUID().toString();
    scenario.unpaid(tenant, open, due);
    scenario.paid(tenant, paid, due);
    scenario.forgetIndexKeys(tenant, List.of(open, paid));
    DueDateIndex index = scenario.index("backfill-" + tenant);
    Instant line = DueDateIndex.overdueAt(due, zone);
    assertThat(index.between(line.minusSeconds(1), line)).isEmpty();

    DueDateBackfill backfill = scenario.backfill("backfill-" + tenant);
    DueDateEvents events = scenario.schedule("backfill-" + tenant, DUE_SOON_DAYS, backfill);
    scenario.clock().set(line.minusSeconds(60));
    events.run();
    assertThat(index.between(line.minusSeconds(1), line))
        .extracting(DueDateIndex.Due::invoiceId)
        .containsExactly(open);
    assertThat(backfill.run(1)).isEqualTo(new Backfill.Progress(0, true));
    scenario.clock().set(line.plusSeconds(60));
    events.run();
    assertThat(scenario.events(tenant, null))
        .extracting(LoggedEvent::type, LoggedEvent::subjectId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_OVERDUE, open));
  }

  @Test
  void aBackfillThatFailsHoldsBackNoDueDateEvent() {
    ZoneId zone = ZoneId.of("Europe/London");
    LocalDate due = LocalDate.of(2034, 6, 12);
    DueDateScenario scenario =
        new DueDateScenario(due.minusDays(30).atStartOfDay(zone).toInstant());
    String tenant = scenario.organisation(zone);
    String open = UUID.randomUUID().toString();
    scenario.unpaid(tenant, open, due);
    Backfill failing =
        new Backfill() {
          @Override
          public Progress run(int pages) {
            throw new IllegalStateException("an item this backfill cannot write");
          }

          @Override
          public String what() {
            return "items that never go";
          }
        };
    DueDateEvents events = scenario.schedule("failing-" + tenant, DUE_SOON_DAYS, failing);
    Instant line = DueDateIndex.overdueAt(due, zone);
    scenario.clock().set(line.minusSeconds(60));
    events.run();
    scenario.clock().set(line.plusSeconds(60));
    events.run();
    assertThat(types(scenario, tenant)).contains(EventTypes.INVOICE_OVERDUE);
  }

  private static List<String> types(DueDateScenario scenario, String tenant) {
    return scenario.events(tenant, null).stream().map(LoggedEvent::type).toList();
  }
}
