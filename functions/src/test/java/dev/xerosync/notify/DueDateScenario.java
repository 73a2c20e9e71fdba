package dev.xerosync.notify;

import dev.xerosync.store.Backfill;
import dev.xerosync.store.Connections;
import dev.xerosync.store.DueDateBackfill;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Organisations in their timezones, invoices due on a day, and the due-date schedule, in the
 * template's table ({@link LocalTable}) under a clock the caller moves: how DueDateEventsTest and
 * OverdueBenchmark take organisations across their midnights.
 */
public final class DueDateScenario {
  private final LocalTable table = LocalTable.get();
  private final MovableClock clock;
  private final InvoiceStore store;
  private final EventLog log;

  public DueDateScenario(Instant start) {
    this.clock = new MovableClock(start);
    this.store = new InvoiceStore(table.dynamoDb(), table.name(), clock);
    this.log = new EventLog(table.dynamoDb(), table.name(), clock);
  }

  /** A clock the caller moves. */
  public static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    public void set(Instant now) {
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

  public MovableClock clock() {
    return clock;
  }

  public EventLog log() {
    return log;
  }

  /** A new tenant whose organisation keeps {@code zone}'s time; returns its id. */
  public String organisation(ZoneId zone) {
    String tenant = UUID.randomUUID().toString();
    new Connections(table.dynamoDb(), table.name())
        .putOrganisation(tenant, new XeroOrganisation("Org", "!b", null, zone, "NZD"));
    return tenant;
  }

  /** Stores an invoice of 100 due on {@code due}, unpaid, as Xero shows it now. */
  public void unpaid(String tenant, String id, LocalDate due) {
    store.upsert(tenant, invoice(id, due, false));
  }

  /** Stores the invoice as paid in full (a payment on {@code due}), as Xero shows it now. */
  public void paid(String tenant, String id, LocalDate due) {
    store.upsert(tenant, invoice(id, due, true));
  }

  /** The due-date schedule; each {@code name} keeps its own watermark (its last run). */
  public DueDateEvents schedule(String name, int dueSoonDays) {
    return new DueDateEvents(
        new DueDateIndex(table.dynamoDb(), table.name(), name),
        store,
        log,
        new EventRelay(log, EventPublishers.NOT_DELIVERED),
        dueSoonDays,
        clock);
  }

  /** The due-date schedule that runs {@code backfill} first, as DueDateFunction does. */
  public DueDateEvents schedule(String name, int dueSoonDays, Backfill... backfills) {
    return new DueDateEvents(
        index(name),
        store,
        log,
        new EventRelay(log, EventPublishers.NOT_DELIVERED),
        dueSoonDays,
        clock,
        List.of(backfills));
  }

  /** The due-date index, reading under its own watermark {@code name}. */
  public DueDateIndex index(String name) {
    return new DueDateIndex(table.dynamoDb(), table.name(), name);
  }

  /** A backfill keeping its progress under {@code name}. */
  public DueDateBackfill backfill(String name) {
    return new DueDateBackfill(table.dynamoDb(), table.name(), clock, name);
  }

  /** Removes the index keys, as invoices stored before the index existed have none. */
  public void forgetIndexKeys(String tenant, List<String> invoiceIds) {
    for (String id : invoiceIds) {
      table
          .dynamoDb()
          .updateItem(
              u ->
                  u.tableName(table.name())
                      .key(Keys.key(Keys.invoicePk(tenant, id), Keys.INVOICE_SK))
                      .updateExpression("REMOVE odPk, odSk"));
    }
  }

  /** Every event the tenant logged, of {@code types} (null: every type), in the log's order. */
  public List<LoggedEvent> events(String tenant, @Nullable Set<String> types) {
    List<LoggedEvent> events = new ArrayList<>();
    long after = 0;
    while (true) {
      EventLog.Page page = log.page(tenant, after, 500, types);
      events.addAll(page.events());
      after = page.through();
      if (!page.more()) {
        return events;
      }
    }
  }

  private XeroInvoice invoice(String id, LocalDate due, boolean paid) {
    BigDecimal total = new BigDecimal("100");
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 6),
        null,
        "ACCREC",
        paid ? "PAID" : "AUTHORISED",
        "contact-1",
        "Acme",
        due.minusDays(30),
        due,
        "NZD",
        total,
        BigDecimal.ZERO,
        total,
        paid ? BigDecimal.ZERO : total,
        paid ? total : BigDecimal.ZERO,
        BigDecimal.ZERO,
        paid ? due : null,
        clock.instant().truncatedTo(ChronoUnit.MILLIS),
        paid ? List.of(new XeroPayment("p-" + id, due, total, "paid")) : List.of(),
        List.of());
  }
}
