package dev.xerosync.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Sha256;
import dev.xerosync.store.Operations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Accepts writes: each one is recorded in the outbox (with our API's Idempotency-Key, kept 24
 * hours) before it is queued, so an accepted write can only end in a terminal state, never vanish.
 */
public final class Outbox {
  private static final Log LOG = Log.of(Outbox.class);
  static final Duration KEY_RETENTION = Duration.ofHours(24);
  static final int MAX_KEY_LENGTH = 255;

  /** How long a write may wait for Xero's limits (or a set-up) before it needs attention. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofHours(24);

  private static final ObjectMapper CANONICAL =
      Json.MAPPER.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Operations operations;
  private final OperationLog log;
  private final OperationEvents events;
  private final Clock clock;
  private final Admission admission;

  public Outbox(Operations operations, OperationEvents events, Clock clock) {
    this(operations, events, clock, new Admission(45, DEFAULT_DEADLINE));
  }

  public Outbox(Operations operations, OperationEvents events, Clock clock, Admission admission) {
    this.operations = operations;
    this.log = new OperationLog(operations);
    this.events = events;
    this.clock = clock;
    this.admission = admission;
  }

  /**
   * How fast a tenant's writes drain (the writes' share of Xero's calls a minute, one call a write)
   * and how long each may wait: a tenant may have as many writes open as drain before the deadline
   * at three quarters of that pace, as the sync's reads take from the same share and contact
   * lookups cost a call (WriteDrainBenchmark measured 39 a minute, not 45). The writes drain in
   * about the order admitted, whatever their lane ({@link WriteTurn}), so a write's place in the
   * tenant's queue is what it waits behind.
   */
  public record Admission(int perMinute, Duration deadline) {
    public long capacity() {
      return Math.max(1, perMinute * deadline.toSeconds() * 3 / (4 * 60));
    }

    /** When the full queue has room again: one write's share of a minute. */
    Duration retryAfter() {
      return Duration.ofSeconds(Math.max(1, (60 + perMinute - 1) / perMinute));
    }

    /**
     * When a write admitted now at {@code position} in the queue goes at the latest, at the pace
     * {@link #capacity} counts on: the writes ahead of it each take a capacity's share of the
     * deadline, so even the last one admitted goes before its deadline.
     */
    Instant turnBy(Instant now, long position) {
      long ahead = Math.max(0, Math.min(position, capacity()) - 1);
      return now.plus(deadline.multipliedBy(ahead).dividedBy(capacity()));
    }
  }

  /** A write as the API received it. */
  public record Write(
      String tenantId,
      OperationKind kind,
      @Nullable String externalId,
      @Nullable String parentExternalId,
      JsonNode body,
      @Nullable String idempotencyKey) {}

  /**
   * The operation that now stands for the write, whether the key replayed an earlier one, and how
   * many of the tenant's writes had ended when it took its place (for its place in the queue).
   */
  public record Accepted(Operation operation, boolean replayed, long finished) {
    Accepted(Operation operation, boolean replayed) {
      this(operation, replayed, 0);
    }
  }

  public Accepted accept(Write write) throws Problem {
    try {
      check(write);
    } catch (WriteRequests.InvalidWrite e) {
      throw new Problem(400, "Invalid write", e.getMessage());
    }
    String key = write.idempotencyKey();
    if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
      throw new Problem(
          400,
          "Invalid Idempotency-Key",
          "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    String externalId = write.externalId();
    if (externalId == null) {
      // Each kind's check refuses a write without its id; this holds for a caller that skipped it.
      throw new Problem(400, "Invalid write", "the write names no externalId");
    }
    Instant now = clock.instant();
    Operation op = new Operation();
    op.operationId = UUID.randomUUID().toString();
    op.tenantId = write.tenantId();
    op.kind = write.kind();
    op.externalId = externalId;
    op.parentExternalId = write.parentExternalId();
    op.request = write.body();
    op.createdAt = now;
    op.updatedAt = now;
    op.skipped = write.body().path("skipAccounting").asBoolean(false);
    op.state = OperationState.QUEUED;
    op.deadline = now.plus(admission.deadline());
    if (op.skipped) {
      // Kept out of Xero on purpose: recorded, finished, and said so.
      op.finish(
          OperationState.SUCCEEDED,
          List.of("skipAccounting was set: nothing was sent to Xero"),
          null,
          null,
          null,
          now);
    }
    String bodyHash =
        key == null
            ? null
            : hash(
                write.kind()
                    + "|"
                    + write.externalId()
                    + "|"
                    + write.parentExternalId()
                    + "|"
                    + canonical(write.body()));
    Operations.Backlog queue = null;
    if (!op.skipped
        && (key == null
            || operations
                .keyUse(op.tenantId, hash(key))
                .filter(k -> k.expiresAt().isAfter(now))
                .isEmpty())) {
      queue = admit(op.tenantId);
      op.ticket = queue.accepted();
      op.turnBy = admission.turnBy(now, queue.open());
    }
    Optional<Operations.KeyUse> earlier =
        operations.create(
            op.tenantId,
            op.operationId,
            op.state.name(),
            op.toDocument(),
            now,
            key == null ? null : hash(key),
            bodyHash,
            now.plus(KEY_RETENTION));
    if (earlier.isPresent() && queue != null) {
      // The key was taken in between: this write takes no place in the queue after all.
      operations.backlogFinished(op.tenantId);
    }
    if (earlier.isPresent()) {
      if (!earlier.get().bodyHash().equals(bodyHash)) {
        throw new Problem(
            422,
            "Idempotency-Key reused with another body",
            "This Idempotency-Key was first used within the last 24 hours for a different request"
                + " (operation "
                + earlier.get().operationId()
                + "). Send a new key for a new write, or resend the first request unchanged.");
      }
      Operation first =
          get(write.tenantId(), earlier.get().operationId())
              .orElseThrow(
                  () -> new IllegalStateException("an Idempotency-Key names no operation"));
      if (first.state == OperationState.QUEUED) {
        // The first request may have died between recording and queueing; queueing twice is
        // harmless (the worker skips what is already done).
        events.dispatch(first);
      }
      return new Accepted(first, true);
    }
    if (op.skipped) {
      events.finished(op);
      return new Accepted(op, false);
    }
    op.version = 1;
    if (op.kind == OperationKind.ACCOUNTING_SETTINGS) {
      // Payments and deposits run in other lanes of the queue; this tells them a set-up is coming.
      operations.putLink(
          op.tenantId,
          OperationLog.SETUP,
          "accounting",
          Json.MAPPER.createObjectNode().put("operationId", op.operationId).toString());
    }
    log.markContactPending(op);
    try {
      events.dispatch(op);
    } catch (RuntimeException e) {
      LOG.error("write could not be queued; the operation fails", e, "operationId", op.operationId);
      op.finish(
          OperationState.FAILED,
          List.of("The write could not be queued; nothing was sent to Xero."),
          "NOT_QUEUED",
          "Send the request again.",
          null,
          clock.instant());
      operations.save(op.tenantId, op.operationId, op.state.name(), op.toDocument(), 1, now);
      if (queue != null) {
        operations.backlogFinished(op.tenantId);
      }
      throw new Problem(
          503,
          "Write not queued",
          "The write could not be queued and was not sent; send it again.");
    }
    return new Accepted(op, false, queue == null ? 0 : queue.finished());
  }

  /**
   * A place in the tenant's write queue, or a 429: the writes it already has open would take until
   * the deadline to drain at Xero's pace, so this one could only fail later.
   */
  private Operations.Backlog admit(String tenantId) throws Problem {
    Optional<Operations.Backlog> queue = operations.admit(tenantId, admission.capacity());
    if (queue.isPresent()) {
      return queue.get();
    }
    Duration retry = admission.retryAfter();
    throw new Problem(
        429,
        "Write queue full",
        "This organisation already has "
            + admission.capacity()
            + " writes waiting, as many as Xero's limits let us send within their "
            + admission.deadline().toHours()
            + "-hour deadline (about "
            + admission.perMinute()
            + " a minute). Nothing was recorded; send the write again after Retry-After.",
        java.util.Map.of("Retry-After", Long.toString(retry.toSeconds())));
  }

  /**
   * The operation as GET /operations/{id} shows it: while open, with its place in the tenant's
   * queue and the time it expects to go.
   */
  public Optional<ObjectNode> view(String tenantId, String operationId) {
    Optional<Operation> op = get(tenantId, operationId);
    if (op.isEmpty() || op.get().state.isTerminal()) {
      return op.map(Operation::toJson);
    }
    long finished = operations.backlog(tenantId).finished();
    return Optional.of(op.get().toJson(finished, admission.perMinute(), clock.instant()));
  }

  /** The 202's body: the operation, with its place in the tenant's queue when it took one. */
  public ObjectNode answer(Accepted accepted) {
    Operation op = accepted.operation();
    if (accepted.replayed() || op.state.isTerminal()) {
      return view(op.tenantId, op.operationId).orElseGet(op::toJson);
    }
    return op.toJson(accepted.finished(), admission.perMinute(), clock.instant());
  }

  /** This outbox with another admission rule (a benchmark's shorter deadline). */
  public Outbox with(Admission other) {
    return new Outbox(operations, events, clock, other);
  }

  public Admission admission() {
    return admission;
  }

  /** The refusal {@link #accept} would give for the write's shape, or null. */
  static @Nullable Problem checked(Write write) {
    try {
      check(write);
      return null;
    } catch (WriteRequests.InvalidWrite e) {
      return new Problem(400, "Invalid write", e.getMessage());
    }
  }

  public Optional<Operation> get(String tenantId, String operationId) {
    return operations
        .get(tenantId, operationId)
        .map(s -> Operation.fromDocument(s.document(), s.version()));
  }

  private static void check(Write w) throws WriteRequests.InvalidWrite {
    switch (w.kind()) {
      case INVOICE_UPSERT -> {
        WriteRequests.checkExternalId("the invoice's externalId", w.externalId());
        WriteRequests.checkInvoice(w.body());
      }
      case INVOICE_VOID -> {
        WriteRequests.checkExternalId("the invoice's externalId", w.externalId());
        WriteRequests.checkVoid(w.body());
      }
      case PAYMENT -> {
        WriteRequests.checkExternalId("the invoice's externalId", w.parentExternalId());
        WriteRequests.checkPayment(w.body());
      }
      case DEPOSIT -> WriteRequests.checkDeposit(w.body());
      case CONTACT_UPSERT -> {
        WriteRequests.checkContactId("the contact's externalId", w.externalId());
        WriteRequests.checkContact(w.body());
      }
      case INVOICE_HISTORY -> WriteRequests.checkHistory(w.body());
      case ACCOUNTING_SETTINGS -> WriteRequests.checkSettings(w.body());
    }
  }

  static String canonical(JsonNode body) {
    try {
      return CANONICAL.writeValueAsString(Json.MAPPER.treeToValue(body, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String value) {
    return Sha256.hex(value);
  }
}
