package dev.xerosync.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
  private static final ObjectMapper CANONICAL =
      Json.MAPPER.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Operations operations;
  private final OperationLog log;
  private final OperationEvents events;
  private final Clock clock;

  public Outbox(Operations operations, OperationEvents events, Clock clock) {
    this.operations = operations;
    this.log = new OperationLog(operations);
    this.events = events;
    this.clock = clock;
  }

  /** A write as the API received it. */
  public record Write(
      String tenantId,
      OperationKind kind,
      @Nullable String externalId,
      @Nullable String parentExternalId,
      JsonNode body,
      @Nullable String idempotencyKey) {}

  /** The operation that now stands for the write, and whether the key replayed an earlier one. */
  public record Accepted(Operation operation, boolean replayed) {}

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
      throw new Problem(
          503,
          "Write not queued",
          "The write could not be queued and was not sent; send it again.");
    }
    return new Accepted(op, false);
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
