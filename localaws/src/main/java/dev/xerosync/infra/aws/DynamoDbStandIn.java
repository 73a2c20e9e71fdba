package dev.xerosync.infra.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Database;
import dev.xerosync.infra.aws.dynamodb.DynamoError;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * DynamoDB over its real wire protocol (AWS JSON 1.0: {@code POST /}, {@code X-Amz-Target:
 * DynamoDB_20120810.<Operation>}), so the production SDK client runs unchanged against it, in place
 * of DynamoDB Local (whose licence is not open source).
 *
 * <p>Serves the table, item, query, scan, batch and transaction operations with DynamoDB's
 * expression language, validation, error types and messages, and consumed capacity (see {@link
 * Database}). Tables live in memory, each in ordered maps per index, so a Query costs O(log n +
 * page). Items past their time to live are deleted in the background, as DynamoDB does some time
 * after expiry. Request signatures are not checked; nothing is logged.
 */
public final class DynamoDbStandIn implements AutoCloseable {

  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The account every local stand-in answers as (infra's EmbeddedSqs and Secrets Manager stand-in
   * too), so ARNs look like real ones.
   */
  public static final String REGION = "us-east-1";

  public static final String ACCOUNT_ID = "000000000000";

  /** How often expired items are looked for; DynamoDB itself takes up to a few days. */
  public static final Duration DEFAULT_TTL_SWEEP = Duration.ofMinutes(5);

  private final ScheduledExecutorService sweeper;
  private final Database database;
  private LoopbackHttpServer server;

  private DynamoDbStandIn(ScheduledExecutorService sweeper, Database database) {
    this.sweeper = sweeper;
    this.database = database;
  }

  public static DynamoDbStandIn start() {
    return start(Clock.systemUTC(), DEFAULT_TTL_SWEEP);
  }

  /** With a clock of the caller's and a sweep interval, so a test can watch items expire. */
  public static DynamoDbStandIn start(Clock clock, Duration ttlSweep) {
    var database = new Database(clock, REGION, ACCOUNT_ID);
    var sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var thread = new Thread(r, "dynamodb-stand-in-ttl");
              thread.setDaemon(true);
              return thread;
            });
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            database.expire();
          } catch (RuntimeException e) {
            // The next sweep tries again; a sweep must never end the schedule.
          }
        },
        ttlSweep.toMillis(),
        ttlSweep.toMillis(),
        TimeUnit.MILLISECONDS);
    var standIn = new DynamoDbStandIn(sweeper, database);
    standIn.server = LoopbackHttpServer.start("dynamodb-stand-in", standIn::handle);
    return standIn;
  }

  public URI endpoint() {
    return server.endpoint();
  }

  /** Deletes every item past its time to live now, rather than at the next sweep. */
  public int expireNow() {
    return database.expire();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    server.close();
  }

  private LoopbackHttpServer.Response handle(LoopbackHttpServer.Request request) {
    int status;
    ObjectNode reply;
    try {
      reply = dispatch(request);
      status = 200;
    } catch (DynamoError e) {
      status = e.status();
      reply = errorBody(e);
    } catch (RuntimeException e) {
      // The exception's message is left out on purpose: it could quote request content.
      status = 500;
      reply = JSON.createObjectNode();
      reply.put("__type", ERROR_PREFIX + "InternalServerError");
      reply.put("message", "The stand-in failed: " + e.getClass().getName());
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(reply);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a reply tree always serialises", e);
    }
    var crc = new CRC32();
    crc.update(bytes);
    return new LoopbackHttpServer.Response(
        status,
        Map.of(
            "Content-Type", CONTENT_TYPE,
            // Request ids need to be unique, not unguessable: no SecureRandom per call.
            "x-amzn-RequestId", new UUID(random().nextLong(), random().nextLong()).toString(),
            "x-amz-crc32", Long.toString(crc.getValue())),
        bytes);
  }

  private ObjectNode dispatch(LoopbackHttpServer.Request request) {
    var target = request.header("X-Amz-Target");
    if (!"POST".equals(request.method()) || !"/".equals(request.path())) {
      throw new DynamoError(
          "UnknownOperationException",
          "Only POST / is served; got " + request.method() + " " + request.path());
    }
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw new DynamoError(
          "UnknownOperationException", "X-Amz-Target must be DynamoDB_20120810.<Operation>");
    }
    var contentType = request.header("Content-Type");
    if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
      throw new DynamoError("SerializationException", "Content-Type must be " + CONTENT_TYPE);
    }
    JsonNode body;
    try {
      body = JSON.readTree(request.body());
    } catch (IOException e) {
      throw new DynamoError("SerializationException", "The request body is not valid JSON");
    }
    if (body == null || !body.isObject()) {
      throw new DynamoError("SerializationException", "The request body must be a JSON object");
    }
    return database.handle(target.substring(TARGET_PREFIX.length()), body);
  }

  private static ThreadLocalRandom random() {
    return ThreadLocalRandom.current();
  }

  private static ObjectNode errorBody(DynamoError e) {
    var body = JSON.createObjectNode();
    body.put("__type", ERROR_PREFIX + e.type());
    // DynamoDB spells the member "Message" for cancelled transactions and "message" otherwise.
    body.put(
        e.type().equals("TransactionCanceledException") ? "Message" : "message", e.getMessage());
    if (e.extra() != null) {
      body.setAll(e.extra());
    }
    return body;
  }
}
