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
      if (op.state == OperationState.SENDING) {
        // A pass died while sending, or saw no answer: Xero may hold the entity.
        op.ambiguous = true;
      }
      op.state = OperationState.SENDING;
      op.attempts++;
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
            return waitFor(op, done, lastDelivery);
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
          Duration wait =
              e.retryAfter() == null ? inlineBackoff.multipliedBy(1L << i) : e.retryAfter();
          if (!e.isRetryable() && !e.isTokenExpired()) {
            return finish(
                op,
                Completion.failed(
                    "XERO_ERROR",
                    e.getMessage(),
                    "Send the write again; if it keeps failing, contact support with the operation id."));
          }
          if (wait.compareTo(Duration.ofSeconds(3)) > 0 || i == INLINE_TRIES - 1) {
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
      return giveUpOrLater(
          op, Objects.requireNonNull(last, "a try that does not return sets last"), lastDelivery);
    }
  }

  private Pass waitFor(Operation op, Completion waiting, boolean lastDelivery) {
    String why = waiting.messages().get(0);
    if (op.attempts >= MAX_ATTEMPTS || lastDelivery) {
      return finish(
          op,
          Completion.failed(
              waiting.code() == null ? "SETUP_REQUIRED" : waiting.code(),
              why + " It did not finish in time; nothing was sent to Xero.",
              waiting.action() != null
                  ? waiting.action()
                  : "Check the accounting set-up's operation, fix it if it failed, then send this"
                      + " write again."));
    }
    op.state = OperationState.QUEUED;
    log.save(op, clock.instant());
    return new Pass.Later(Duration.ofSeconds(1), why);
  }

  private Pass giveUpOrLater(Operation op, XeroApiException last, boolean lastDelivery) {
    Instant now = clock.instant();
    if (op.attempts < MAX_ATTEMPTS
        && !lastDelivery
        && !(last.isRateLimited() && "day".equals(last.problem()))) {
      if (!op.ambiguous) {
        // Nothing reached Xero: back in the queue as it was.
        op.state = OperationState.QUEUED;
      }
      log.save(op, now);
      Duration wait = last.retryAfter() == null ? Duration.ofSeconds(2) : last.retryAfter();
      return new Pass.Later(wait, last.getMessage());
    }
    if (op.ambiguous) {
      // A lookup could not run or answered nothing conclusive: never guess about money.
      return finish(
          op,
          Completion.needsAttention(
              last.getMessage(),
              "UNCONFIRMED",
              "Xero did not confirm whether it saved this write. Look in Xero for "
                  + lookupHint(op)
                  + " before sending it again: if it is there, nothing more is needed."));
    }
    return finish(
        op,
        Completion.failed(
            last.isRateLimited() ? "RATE_LIMITED" : "XERO_UNAVAILABLE",
            last.getMessage() + " (after " + op.attempts + " attempts; nothing was saved in Xero)",
            last.isRateLimited()
                ? "Xero's API limit for the organisation is spent; send the write again later."
                : "Xero was unavailable; send the write again later."));
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
    return kind.send(new XeroCall(op, access, xero));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
