package dev.xerosync.notify;

import dev.xerosync.common.Log;
import dev.xerosync.store.Backfill;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventDraft;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The clock's events. {@code invoice.overdue} at the start of the day after the due date in the
 * organisation's timezone, {@code invoice.due_soon} at the start of the day {@link #dueSoonDays}
 * before it; each once per invoice and due date (the id is keyed by the due date), and only while
 * the invoice is still unpaid when the line is crossed. Each run covers the instants since the last
 * run's, less {@link #GRACE} (a run that died, an invoice written just behind the line), reading
 * only the index entries in that window ({@link DueDateIndex}).
 */
public final class DueDateEvents {
  private static final Log LOG = Log.of(DueDateEvents.class);

  /** How far back each run looks again; events already logged are not logged twice. */
  static final Duration GRACE = Duration.ofHours(1);

  /** Scan pages (1 MB each) each backfill reads a run, within its time budget. */
  static final int BACKFILL_PAGES = 20;

  /** DST moves a day's start by up to an hour: the due-soon window is read this much wider. */
  private static final Duration DST_SLACK = Duration.ofHours(2);

  private final DueDateIndex index;
  private final InvoiceStore invoices;
  private final EventLog log;
  private final EventRelay relay;
  private final int dueSoonDays;
  private final Clock clock;
  private final List<Backfill> backfills;

  public DueDateEvents(
      DueDateIndex index,
      InvoiceStore invoices,
      EventLog log,
      EventRelay relay,
      int dueSoonDays,
      Clock clock) {
    this(index, invoices, log, relay, dueSoonDays, clock, List.of());
  }

  /**
   * With {@code backfills}, each run first runs a few pages of each, in order, until each is done:
   * the items stored before a feature existed get what it writes (the deployment's schedule).
   */
  public DueDateEvents(
      DueDateIndex index,
      InvoiceStore invoices,
      EventLog log,
      EventRelay relay,
      int dueSoonDays,
      Clock clock,
      List<Backfill> backfills) {
    if (dueSoonDays < 1) {
      throw new IllegalArgumentException("due-soon days must be at least 1, not " + dueSoonDays);
    }
    this.index = index;
    this.invoices = invoices;
    this.log = log;
    this.relay = relay;
    this.dueSoonDays = dueSoonDays;
    this.clock = clock;
    this.backfills = List.copyOf(backfills);
  }

  /** One run: logs what crossed a line since the last, publishes it; returns how many events. */
  public int run() {
    // Before the index is read, so an invoice keyed now whose line is in this window fires.
    for (Backfill backfill : backfills) {
      try {
        Backfill.Progress p = backfill.run(BACKFILL_PAGES);
        if (p.keyed() > 0 || !p.done()) {
          LOG.info(backfill.what(), "items", p.keyed(), "done", p.done());
        }
      } catch (RuntimeException e) {
        // One item a backfill cannot write must not hold back every tenant's due-date events: it
        // resumes from its last saved page on the next run, and the error is there to see.
        LOG.error("backfill failed; the due-date events go on", e, "backfill", backfill.what());
      }
    }
    Instant now = clock.instant();
    Instant last = index.watermark();
    Instant from = (last == null ? now.minus(Duration.ofMinutes(15)) : last).minus(GRACE);
    Set<String> tenants = new LinkedHashSet<>();
    int logged = 0;
    for (DueDateIndex.Due due : index.between(from, now)) {
      if (fire(due, EventTypes.INVOICE_OVERDUE, from, now)) {
        tenants.add(due.tenantId());
        logged++;
      }
    }
    // Due soon is keyed on the same index: its line is (days + 1) local days before overdue.
    Duration ahead = Duration.ofDays(dueSoonDays + 1L);
    for (DueDateIndex.Due due :
        index.between(from.plus(ahead).minus(DST_SLACK), now.plus(ahead).plus(DST_SLACK))) {
      if (fire(due, EventTypes.INVOICE_DUE_SOON, from, now)) {
        tenants.add(due.tenantId());
        logged++;
      }
    }
    index.saveWatermark(now);
    tenants.forEach(relay::relay);
    if (logged > 0) {
      LOG.info("due-date events logged", "events", logged, "tenants", tenants.size());
    }
    return logged;
  }

  /** Logs the event if the invoice, as stored now, crossed its line in (from, now] unpaid. */
  private boolean fire(DueDateIndex.Due due, String type, Instant from, Instant now) {
    Optional<InvoiceStore.Unpaid> stored = invoices.unpaid(due.tenantId(), due.invoiceId());
    if (stored.isEmpty()) {
      return false;
    }
    LocalDate dueDate = stored.get().dueDate();
    ZoneId zone = stored.get().organisation().timezone();
    Instant line =
        type.equals(EventTypes.INVOICE_OVERDUE)
            ? DueDateIndex.overdueAt(dueDate, zone)
            : DueDateIndex.dueSoonAt(dueDate, zone, dueSoonDays);
    if (line.isAfter(now) || !line.isAfter(from)) {
      return false;
    }
    EventDraft draft =
        new EventDraft(
            EventIds.of(due.tenantId(), due.invoiceId(), type, dueDate.toString()),
            type,
            due.invoiceId(),
            line,
            stored.get().view(),
            null);
    return log.append(due.tenantId(), java.util.List.of(draft));
  }
}
