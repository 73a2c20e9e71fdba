package dev.xerosync.outbox;

import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Operations;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroEndpoint;
import dev.xerosync.xero.XeroWrites;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Carries one operation to Xero exactly once. This class is the operation's lifecycle (passes,
 * SENDING, inline retries, give-up, the finish); each kind's write is an {@link OperationWrite} of
 * its own, and each reconcile-before-retry lookup a class of its own ({@link InvoiceByNumber},
 * {@link InvoiceById}, {@link PaymentByReference}, {@link DepositByReference}, {@link
 * ContactLookup}).
 *
 * <ul>
 *   <li>The operation is marked SENDING (a conditional write) before any call; a worker that finds
 *       it SENDING knows an earlier pass may have reached Xero and treats it as ambiguous.
 *   <li>After an ambiguous outcome (a timeout, a lost response, a 5xx) nothing is sent before the
 *       entity is looked up by our own key: InvoiceNumbers= for invoices, ContactNumber for
 *       contacts, Reference for payments (among the invoice's) and deposits. Found means adopted.
 *   <li>Xero's Idempotency-Key is reused only inside Xero's 6-minute window (we stop at 5, as
 *       margin for clock skew and the call's own duration); after it, a lookup has just shown the
 *       entity absent, so a new key is safe.
 *   <li>A pass that cannot finish leaves the operation for the queue to bring back; after {@link
 *       #MAX_ATTEMPTS} passes, or on the queue's last delivery, it ends FAILED (nothing was saved)
 *       or NEEDS_ATTENTION (Xero never confirmed either way) with the action. It never loops.
 * </ul>
 */
public final class WriteExecutor {
  private static final Log LOG = Log.of(WriteExecutor.class);
  static final Duration KEY_WINDOW = Duration.ofMinutes(5);
  static final int MAX_ATTEMPTS = 8;
  static final int INLINE_TRIES = 3;

  /**
   * After this many holds a write comes back at most every {@link #LONG_HOLD_WAIT}: 100 holds and
   * 24 hours at 2 minutes stay under the write queue's 1,000 deliveries of a message.
   */
  static final int LONG_HOLD = 100;

  static final Duration LONG_HOLD_WAIT = Duration.ofMinutes(2);
  static final String OPERATIONS_METRIC = "WriteOperations";
  static final String UNSUCCESSFUL_METRIC = "WriteOperationsUnsuccessful";

  private final OperationLog log;
  private final XeroEndpoint xero;
  private final TenantXero access;
  private final OperationEvents events;
  private final Clock clock;
  private final Duration inlineBackoff;
  private final Consumer<Duration> sleep;
  private final InvoiceUpsert invoiceUpsert;
  private final InvoiceVoid invoiceVoid;
  private final PaymentWrite payment;
  private final DepositWrite deposit;
  private final ContactUpsert contactUpsert;
  private final InvoiceHistory invoiceHistory;
  private final AccountingSetup setup;

  public WriteExecutor(
      Operations operations,
      XeroWrites xero,
      TenantXero access,
      InvoiceStore invoices,
      ContactStore contacts,
      OperationEvents events,
      Clock clock,
      Duration inlineBackoff) {
    this(
        new OperationLog(operations),
        xero,
        access,
        ReadSide.of(invoices),
        contacts::get,
        events,
        clock,
        inlineBackoff,
        WriteExecutor::sleep);
  }

  /**
   * {@code synced} is the sync's copy of the contacts, which tells a manual edit in Xero apart;
   * {@code sleep} waits between inline tries (a unit test records the waits instead).
   */
  WriteExecutor(
      OperationLog log,
      XeroEndpoint xero,
      TenantXero access,
      ReadSide invoices,
      DryRun.Contacts synced,
      OperationEvents events,
      Clock clock,
      Duration inlineBackoff,
      Consumer<Duration> sleep) {
    this.log = log;
    this.xero = xero;
    this.access = access;
    this.events = events;
    this.clock = clock;
    this.inlineBackoff = inlineBackoff;
    this.sleep = sleep;
    ReadYourWrites reads = new ReadYourWrites(invoices);
    InvoiceLinks links = new InvoiceLinks(log, reads);
    ContactLinks contacts = new ContactLinks(log, synced);
    this.invoiceUpsert = new InvoiceUpsert(log, links, contacts);
    this.invoiceVoid = new InvoiceVoid(links);
    this.payment = new PaymentWrite(log, links, reads, clock);
    this.deposit = new DepositWrite(log, contacts, clock);
    this.contactUpsert = new ContactUpsert(contacts);
    this.invoiceHistory = new InvoiceHistory(log, links, contacts, clock);
    this.setup = new AccountingSetup(log, contacts, clock);
  }

  /** What the queue should do with the operation's message. */
  public sealed interface Pass {
    /** The operation is terminal (now or before): delete the message. */
    record Done(@Nullable OperationState state) implements Pass {}

    /** Bring the message back after this wait; the operation stays open. */
    record Later(Duration delay, String why) implements Pass {}
  }

  /** One pass over the operation; {@code lastDelivery} is the queue's final chance. */
  @SuppressWarnings("try")
  public Pass run(String tenantId, String operationId, boolean lastDelivery) {
    Optional<Operation> loaded = log.load(tenantId, operationId);
    if (loaded.isEmpty()) {
      LOG.warn("no such operation; message dropped", "operationId", operationId);
      return new Pass.Done(null);
    }
    Operation op = loaded.get();
    if (op.state.isTerminal()) {
      return new Pass.Done(op.state);
    }
    try (var scope = Log.scope(Log.TENANT_ID, tenantId, "operationId", operationId)) {
      Instant now = clock.instant();
      if (op.state == OperationState.QUEUED && op.turnBy != null && now.isBefore(op.turnBy)) {
        Optional<Duration> turn =
            WriteTurn.wait(op.ticket, log.finishedWrites(tenantId), op.turnBy, now);
        if (turn.isPresent()) {
          // A hold, which is no attempt: hold() counts it out again.
          op.attempts++;
          return hold(
              op,
              turn.get(),
              "Waiting its turn: writes this organisation sent before it are still open.");
        }
      }
      if (op.state == OperationState.SENDING) {
        // A pass died while sending, or saw no answer: Xero may hold the entity.
        op.ambiguous = true;
      }
      op.state = OperationState.SENDING;
      op.attempts++;
      op.heldUntil = null;
      op.heldBy = null;
      if (op.startedAt == null) {
        op.startedAt = now;
      }
      if (op.keyIssuedAt == null || now.isAfter(op.keyIssuedAt.plus(KEY_WINDOW))) {
        // Safe: either nothing was sent under the old key, or the lookup below runs first.
        op.keyGeneration++;
        op.keyIssuedAt = now;
      }
      if (!log.save(op, now)) {
        return new Pass.Later(Duration.ofSeconds(1), "another worker moved the operation");
      }
      XeroApiException last = null;
      for (int i = 0; i < INLINE_TRIES; i++) {
        try {
          Completion done = execute(op);
          if (done.state() == OperationState.QUEUED) {
            // Waiting for a set-up in flight: a little longer each time, as it may itself be held.
            return hold(
                op,
                Duration.ofSeconds(Math.min(60, 1L << Math.min(op.holds, 6))),
                done.messages().get(0));
          }
          return finish(op, done);
        } catch (XeroApiException e) {
          last = e;
          if (XeroWrites.isAmbiguous(e)) {
            op.ambiguous = true;
          }
          if (e.isForbidden()) {
            return finish(
                op,
                Completion.needsAttention(
                    e.getMessage(),
                    "NOT_AUTHORISED",
                    "Reconnect the organisation to Xero: the connection no longer has access."));
          }
          if (e.isTokenExpired()) {
            // TenantXero already replaced the token once: Xero refuses the connection itself.
            return finish(
                op,
                Completion.needsAttention(
                    e.getMessage(),
                    "NOT_CONNECTED",
                    "Reconnect the organisation to Xero (Xero refused a freshly refreshed token);"
                        + " then send the write again."));
          }
          Duration wait =
              e.retryAfter() == null ? inlineBackoff.multipliedBy(1L << i) : e.retryAfter();
          if (!e.isRetryable()) {
            return finish(
                op,
                Completion.failed(
                    "XERO_ERROR",
                    e.getMessage(),
                    "Send the write again; if it keeps failing, contact support with the operation id."));
          }
          if (wait.compareTo(Duration.ofSeconds(3)) > 0
              || i == INLINE_TRIES - 1
              || (e.isRateLimited() && "day".equals(e.problem()))) {
            break;
          }
          sleep.accept(wait);
        } catch (TokenRefreshException e) {
          if (!e.isPermanent()) {
            // Nothing was sent: wait for the identity service like for a busy Xero.
            last = new XeroApiException(503, "TokenRefresh", null, e.getMessage());
            break;
          }
          return finish(
              op,
              Completion.needsAttention(
                  e.getMessage(),
                  "NOT_CONNECTED",
                  "Reconnect the organisation to Xero; then send the write again."));
        }
      }
      XeroApiException failed =
          Objects.requireNonNull(last, "a try that does not return sets last");
      if (failed.isRateLimited()) {
        Duration retryAfter = failed.retryAfter();
        return hold(
            op, retryAfter == null ? Duration.ofSeconds(2) : retryAfter, failed.getMessage());
      }
      return giveUpOrLater(op, failed, lastDelivery);
    }
  }

  /**
   * The write cannot go yet (a rate limit, Xero's or our budget's, or a set-up still in flight): it
   * waits, QUEUED, until {@code wait} has passed. A hold is no attempt and never fails the write;
   * only its deadline ends it. The queue's last delivery does not end it either: the write queue
   * allows 1,000 deliveries of a message, more than a held write takes within its deadline.
   */
  private Pass hold(Operation op, Duration wait, String why) {
    Instant now = clock.instant();
    Instant deadline = deadline(op);
    if (!now.isBefore(deadline)) {
      if (op.ambiguous) {
        return unconfirmed(op, why);
      }
      return finish(
          op,
          Completion.needsAttention(
              why
                  + " It was held back until its deadline ("
                  + deadline
                  + "); nothing was sent to Xero.",
              "DEADLINE_PASSED",
              "Xero's limits (or an unfinished accounting set-up) held the write back for "
                  + Duration.between(op.createdAt, deadline).toHours()
                  + " hours. Check the organisation's API use and set-up, then send the write"
                  + " again."));
    }
    if (op.holds >= LONG_HOLD && wait.compareTo(LONG_HOLD_WAIT) < 0) {
      // Held this often, the write comes back less often, so its deliveries last the deadline.
      wait = LONG_HOLD_WAIT;
    }
    if (wait.compareTo(Duration.between(now, deadline)) > 0) {
      wait = Duration.between(now, deadline);
    }
    op.holds++;
    op.heldUntil = now.plus(wait);
    op.heldBy = why;
    if (!op.ambiguous) {
      // Nothing reached Xero: back in the queue as it was.
      op.state = OperationState.QUEUED;
    }
    log.save(op, now);
    return new Pass.Later(wait, why);
  }

  static Instant deadline(Operation op) {
    return op.deadline != null ? op.deadline : op.createdAt.plus(Outbox.DEFAULT_DEADLINE);
  }

  private Pass giveUpOrLater(Operation op, XeroApiException last, boolean lastDelivery) {
    Instant now = clock.instant();
    if (op.attempts - op.holds < MAX_ATTEMPTS && !lastDelivery) {
      if (!op.ambiguous) {
        // Nothing reached Xero: back in the queue as it was.
        op.state = OperationState.QUEUED;
      }
      op.heldUntil = null;
      op.heldBy = null;
      log.save(op, now);
      Duration wait = last.retryAfter() == null ? Duration.ofSeconds(2) : last.retryAfter();
      return new Pass.Later(wait, last.getMessage());
    }
    if (op.ambiguous) {
      return unconfirmed(op, last.getMessage());
    }
    return finish(
        op,
        Completion.failed(
            "XERO_UNAVAILABLE",
            last.getMessage()
                + " (after "
                + (op.attempts - op.holds)
                + " attempts; nothing was saved in Xero)",
            "Xero was unavailable; send the write again later."));
  }

  /** A lookup could not run or answered nothing conclusive: never guess about money. */
  private Pass unconfirmed(Operation op, String why) {
    return finish(
        op,
        Completion.needsAttention(
            why,
            "UNCONFIRMED",
            "Xero did not confirm whether it saved this write. Look in Xero for "
                + lookupHint(op)
                + " before sending it again: if it is there, nothing more is needed."));
  }

  private static String lookupHint(Operation op) {
    return switch (op.kind) {
      case INVOICE_UPSERT, INVOICE_VOID -> "invoice number " + op.externalId;
      case PAYMENT, DEPOSIT -> "a payment or deposit with reference " + op.externalId;
      case CONTACT_UPSERT -> "a contact with contact number " + op.externalId;
      case INVOICE_HISTORY ->
          "the invoice numbers of this push that its elements do not show as SUCCEEDED";
      case ACCOUNTING_SETTINGS -> "the organisation's accounts";
    };
  }

  private Pass finish(Operation op, Completion c) {
    Instant now = clock.instant();
    op.xero.putAll(c.ids());
    op.finish(c.state(), c.messages(), c.code(), c.action(), c.actionUrl(), now);
    if (!log.save(op, now)) {
      LOG.warn("operation moved while finishing; the other pass's result stands");
      return new Pass.Done(op.state);
    }
    if (op.ticket > 0) {
      try {
        log.backlogFinished(op.tenantId);
      } catch (RuntimeException e) {
        // The queue then reads one longer than it is; admission errs on the side of refusing.
        LOG.warn("tenant's write queue not shortened", "error", e.getClass().getSimpleName());
      }
    }
    events.finished(op);
    Metrics.count(OPERATIONS_METRIC, 1, "State", op.state.name());
    if (op.state != OperationState.SUCCEEDED) {
      Metrics.count(UNSUCCESSFUL_METRIC, 1);
    }
    LOG.info(
        "operation finished",
        "state",
        op.state,
        "kind",
        op.kind,
        "xeroCalls",
        op.xeroCalls,
        "attempts",
        op.attempts);
    return new Pass.Done(op.state);
  }

  /** The write kind's class for this operation, with its calls counted against it. */
  private Completion execute(Operation op) throws XeroApiException, TokenRefreshException {
    OperationWrite kind =
        switch (op.kind) {
          case INVOICE_UPSERT -> invoiceUpsert;
          case INVOICE_VOID -> invoiceVoid;
          case PAYMENT -> payment;
          case DEPOSIT -> deposit;
          case CONTACT_UPSERT -> contactUpsert;
          case INVOICE_HISTORY -> invoiceHistory;
          case ACCOUNTING_SETTINGS -> setup;
        };
    XeroCall call = new XeroCall(op, access, xero);
    if (op.kind != OperationKind.ACCOUNTING_SETTINGS && op.kind != OperationKind.CONTACT_UPSERT) {
      // A lock date or account changed in Xero since the set-up: the dry run's copy catches up.
      AccountingSetup.refreshIfStale(call, log, clock);
    }
    return kind.send(call);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
