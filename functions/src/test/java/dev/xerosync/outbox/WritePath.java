package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The write path with nothing real under it: a fake Xero, the outbox's records and the read side in
 * memory, a clock the test moves, and the inline waits recorded instead of slept. Each unit test
 * builds one.
 */
final class WritePath {
  static final String TENANT = "7d3c1c6e-0000-4000-8000-000000000001";

  final FakeXero xero = new FakeXero();
  final FakeOperationRecords records = new FakeOperationRecords();
  final FakeReadSide readSide = new FakeReadSide();
  final OperationLog log = new OperationLog(records);
  final MovingClock clock = new MovingClock();
  final List<Duration> waits = new ArrayList<>();
  final List<Operation> finished = new ArrayList<>();
  final List<String> tokensRefreshed = new ArrayList<>();

  /** The sync's copy of the contacts, by Xero's id (a webhook's work, done by the test). */
  final java.util.Map<String, dev.xerosync.xero.XeroContact> synced = new java.util.HashMap<>();

  private long tickets;

  /** When set, the tenant's token cannot be had (the identity service, or a revoked grant). */
  TokenRefreshException tokenFailure;

  final TenantXero access =
      new TenantXero(
          new TenantXero.Tokens() {
            @Override
            public String accessToken(String tenantId) throws TokenRefreshException {
              if (tokenFailure != null) {
                throw tokenFailure;
              }
              return "token-1";
            }

            @Override
            public String replaceRejected(String tenantId, String rejectedToken) {
              tokensRefreshed.add(rejectedToken);
              return "token-2";
            }
          });
  final WriteExecutor executor =
      new WriteExecutor(
          log,
          xero,
          access,
          readSide,
          (tenantId, contactId) -> java.util.Optional.ofNullable(synced.get(contactId)),
          new OperationEvents() {
            @Override
            public void dispatch(Operation operation) {}

            @Override
            public void finished(Operation operation) {
              finished.add(operation);
            }
          },
          clock,
          Duration.ZERO,
          waits::add);

  /** An operation accepted and stored, as the write API leaves it for the worker. */
  Operation accept(OperationKind kind, String externalId, String parentExternalId, String body) {
    Operation op = new Operation();
    op.operationId = UUID.randomUUID().toString();
    op.tenantId = TENANT;
    op.kind = kind;
    op.externalId = externalId;
    op.parentExternalId = parentExternalId;
    op.request = json(body);
    op.state = OperationState.QUEUED;
    op.ticket = ++tickets;
    op.createdAt = clock.instant();
    op.updatedAt = op.createdAt;
    records.create(op);
    return op;
  }

  WriteExecutor.Pass pass(Operation op) {
    return executor.run(TENANT, op.operationId, false);
  }

  /** Passes until the operation is terminal, as the queue would bring it back. */
  Operation runToEnd(Operation op) {
    for (int i = 0; i < WriteExecutor.MAX_ATTEMPTS + 1; i++) {
      WriteExecutor.Pass pass;
      try {
        pass = pass(op);
      } catch (FakeXero.WorkerDied e) {
        // SQS brings the message back after the visibility timeout.
        clock.advance(Duration.ofMinutes(6));
        continue;
      }
      if (pass instanceof WriteExecutor.Pass.Done) {
        return load(op);
      }
      clock.advance(((WriteExecutor.Pass.Later) pass).delay());
    }
    throw new AssertionError("the operation never ended");
  }

  Operation load(Operation op) {
    return log.load(TENANT, op.operationId).orElseThrow();
  }

  /** The operation as one pass of a kind sees it: for calling a kind or a lookup directly. */
  XeroCall call(Operation op) {
    return new XeroCall(op, access, xero);
  }

  /** The accounting set-up, done: payments into 090, deposits into 091 from its contact. */
  void setUp() {
    String deposits =
        xero.contact("xero-sync:deposits", "Deposits", "ACTIVE").get("ContactID").asText();
    log.putSettings(
        TENANT,
        json(
            "{\"paymentAccountCode\":\"090\",\"depositAccountCode\":\"091\","
                + "\"depositContactId\":\""
                + deposits
                + "\"}"));
  }

  /** A set-up accepted and not yet run, as payments and deposits in other lanes see it. */
  Operation pendingSetUp() {
    Operation setup =
        accept(
            OperationKind.ACCOUNTING_SETTINGS,
            "accounting",
            null,
            "{\"paymentAccountCode\":\"090\"}");
    records.putLink(
        TENANT,
        OperationLog.SETUP,
        "accounting",
        "{\"operationId\":\"" + setup.operationId + "\"}");
    return setup;
  }

  static ObjectNode json(String s) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String invoice(String contact, String status, int amount) {
    return "{\"contact\":{\"externalId\":\""
        + contact
        + "\",\"name\":\"Customer "
        + contact
        + "\"},\"status\":\""
        + status
        + "\",\"date\":\"2026-11-01\",\"dueDate\":\"2026-12-01\",\"lineItems\":[{\"description\":"
        + "\"Work\",\"quantity\":1,\"unitAmount\":"
        + amount
        + ",\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
  }

  JsonNode link(String kind, String externalId) {
    return log.link(TENANT, kind, externalId).orElseThrow();
  }

  /** A clock a test moves forward, e.g. past Xero's idempotency window. */
  static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
