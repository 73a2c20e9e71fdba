package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.Connections;
import dev.xerosync.store.DueDateBackfill;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Invoices;
import dev.xerosync.store.Keys;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.LoggedEvent;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroOrganisation;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

  /** A clock the test moves. */
  private static final class FixedClock extends Clock {
    private Instant now;

    FixedClock(Instant now) {
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

  @ParameterizedTest
  @CsvSource({"Pacific/Auckland,2031", "Europe/London,2032", "America/Los_Angeles,2033"})
  void overdueAndDueSoonFireOnceAtTheOrganisationsMidnight(String zoneId, int year) {
    ZoneId zone = ZoneId.of(zoneId);
    LocalDate due = LocalDate.of(year, 3, 28); // Around Europe's DST change, on purpose.
    LocalTable table = LocalTable.get();
    FixedClock clock = new FixedClock(due.minusDays(30).atStartOfDay(zone).toInstant());
    String tenant = UUID.randomUUID().toString();
    new Connections(table.dynamoDb(), table.name())
        .putOrganisation(tenant, new XeroOrganisation("Org", "!abc", null, zone, "NZD"));
    InvoiceStore store = new InvoiceStore(table.dynamoDb(), table.name(), clock);
    String open = UUID.randomUUID().toString();
    String paidBefore = UUID.randomUUID().toString();
    String dueLater = UUID.randomUUID().toString();
    Instant written = clock.instant();
    store.upsert(tenant, invoice(open, due, "AUTHORISED", "100", written));
    store.upsert(tenant, invoice(paidBefore, due, "AUTHORISED", "100", written));
    store.upsert(tenant, invoice(dueLater, due.plusDays(1), "AUTHORISED", "100", written));

    EventLog log = new EventLog(table.dynamoDb(), table.name(), clock);
    DueDateEvents events = schedule(table, store, log, clock, "soon-" + tenant);

    // Due soon: the start of the day three days before the due date, local time.
    LocalDateTime soonLine = due.minusDays(DUE_SOON_DAYS).atStartOfDay();
    clock.now = soonLine.minusMinutes(10).atZone(zone).toInstant();
    events.run();
    assertThat(types(log, tenant)).isEmpty();
    clock.now = soonLine.plusMinutes(5).atZone(zone).toInstant();
    events.run();
    assertThat(types(log, tenant))
        .containsExactly(EventTypes.INVOICE_DUE_SOON, EventTypes.INVOICE_DUE_SOON);

    // Paid before the line: no overdue for it.
    store.upsert(
        tenant,
        invoice(
            paidBefore,
            due,
            "PAID",
            "0",
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));

    // Every 15 minutes across the organisation's midnight after the due date (a schedule whose
    // last run was 15 minutes before the first here, so each run reads a 75-minute window).
    events = schedule(table, store, log, clock, "midnight-" + tenant);
    LocalDateTime line = due.plusDays(1).atStartOfDay();
    for (clock.now = line.minusHours(2).atZone(zone).toInstant();
        clock.now.isBefore(line.atZone(zone).toInstant());
        clock.now = clock.now.plusSeconds(15 * 60)) {
      events.run();
    }
    clock.now = line.atZone(zone).toInstant().minusSeconds(1);
    events.run();
    assertThat(types(log, tenant))
        .containsExactly(EventTypes.INVOICE_DUE_SOON, EventTypes.INVOICE_DUE_SOON);
    for (int i = 0; i < 4; i++) {
      clock.now = line.plusMinutes(1 + 15L * i).atZone(zone).toInstant();
      events.run();
    }
    List<LoggedEvent> logged = log.page(tenant, 0, 10, null).events();
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
    LocalTable table = LocalTable.get();
    FixedClock clock = new FixedClock(due.minusDays(30).atStartOfDay(zone).toInstant());
    String tenant = UUID.randomUUID().toString();
    new Connections(table.dynamoDb(), table.name())
        .putOrganisation(tenant, new XeroOrganisation("Org", "!abc", null, zone, "NZD"));
    InvoiceStore store = new InvoiceStore(table.dynamoDb(), table.name(), clock);
    String open = UUID.randomUUID().toString();
    String paid = UUID.randomUUID().toString();
    store.upsert(tenant, invoice(open, due, "AUTHORISED", "100", clock.instant()));
    store.upsert(tenant, invoice(paid, due, "PAID", "0", clock.instant()));
    for (String id : List.of(open, paid)) {
      table
          .dynamoDb()
          .updateItem(
              u ->
                  u.tableName(table.name())
                      .key(Keys.key(Keys.invoicePk(tenant, id), Keys.INVOICE_SK))
                      .updateExpression("REMOVE odPk, odSk"));
    }
    DueDateIndex index = new DueDateIndex(table.dynamoDb(), table.name(), "backfill-" + tenant);
    Instant line = DueDateIndex.overdueAt(due, zone);
    assertThat(index.between(line.minusSeconds(1), line)).isEmpty();

    EventLog log = new EventLog(table.dynamoDb(), table.name(), clock);
    DueDateBackfill backfill =
        new DueDateBackfill(table.dynamoDb(), table.name(), clock, "backfill-" + tenant);
    DueDateEvents events =
        new DueDateEvents(
            index,
            store,
            log,
            new EventRelay(log, EventPublishers.NOT_DELIVERED),
            DUE_SOON_DAYS,
            clock,
            backfill);
    clock.now = line.minusSeconds(60);
    events.run();
    assertThat(index.between(line.minusSeconds(1), line))
        .extracting(DueDateIndex.Due::invoiceId)
        .containsExactly(open);
    assertThat(backfill.run(1)).isEqualTo(new DueDateBackfill.Progress(0, true));
    clock.now = line.plusSeconds(60);
    events.run();
    assertThat(log.page(tenant, 0, 10, null).events())
        .extracting(LoggedEvent::type, LoggedEvent::subjectId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_OVERDUE, open));
  }

  private static DueDateEvents schedule(
      LocalTable table, InvoiceStore store, EventLog log, Clock clock, String name) {
    return new DueDateEvents(
        new DueDateIndex(table.dynamoDb(), table.name(), name),
        store,
        log,
        new EventRelay(log, EventPublishers.NOT_DELIVERED),
        DUE_SOON_DAYS,
        clock);
  }

  private static List<String> types(EventLog log, String tenant) {
    return log.page(tenant, 0, 10, null).events().stream().map(LoggedEvent::type).toList();
  }

  private static XeroInvoice invoice(
      String id, LocalDate due, String status, String amountDue, Instant updated) {
    XeroInvoice v =
        Invoices.version(
            id,
            "contact-1",
            status,
            "100",
            amountDue,
            updated,
            "0".equals(amountDue)
                ? List.of(new XeroPayment("p-" + id, due, new BigDecimal("100"), "paid"))
                : List.of());
    return new XeroInvoice(
        v.invoiceId(),
        v.invoiceNumber(),
        v.reference(),
        v.type(),
        v.status(),
        v.contactId(),
        v.contactName(),
        due.minusDays(30),
        due,
        v.currencyCode(),
        v.subTotal(),
        v.totalTax(),
        v.total(),
        v.amountDue(),
        v.amountPaid(),
        v.amountCredited(),
        v.fullyPaidOnDate(),
        v.updatedDateUtc(),
        v.payments(),
        v.allocations());
  }
}
