package dev.xerosync.events;

import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.notify.DueDateEvents;
import dev.xerosync.notify.EventDelivery;
import dev.xerosync.notify.EventFanOut;
import dev.xerosync.notify.EventPublishers;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.EventReplay;
import dev.xerosync.notify.OutboundUrls;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.CreditNoteBackfill;
import dev.xerosync.store.DueDateBackfill;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Subscriptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The events functions' collaborators, built once per container from the environment. */
record EventsWiring(
    Environment env, Clock clock, DynamoDbClient dynamo, SqsClient sqs, String table) {

  static EventsWiring of(Environment env) {
    return new EventsWiring(
        env,
        env.clock(),
        AwsClients.dynamoDb(env),
        AwsClients.sqs(env),
        env.required("TABLE_NAME"));
  }

  Subscriptions subscriptions() {
    return new Subscriptions(dynamo, table);
  }

  ConnectionRecords records() {
    return new ConnectionRecords(dynamo, table);
  }

  EventFanOut fanOut() {
    return new EventFanOut(
        subscriptions(), records(), new EventQueue(sqs, env.required("EVENT_QUEUE_URL")));
  }

  /** The key every subscription's secret is derived from (docs/events.md). */
  String signingKey() {
    return AppSecrets.field(env, "notificationSigningKey", "NOTIFICATION_SIGNING_KEY");
  }

  EventDelivery delivery() {
    return new EventDelivery(
        subscriptions(),
        records(),
        signingKey(),
        EventDelivery.httpClient(),
        clock,
        OutboundUrls.of(env));
  }

  /** Up to SQS's 12-hour visibility limit: the backoff's longest waits are hours. */
  Redelivery redelivery() {
    return Redelivery.of(sqs, env.required("EVENT_QUEUE_URL"), Duration.ofHours(12));
  }

  static EventReplay replay(Environment env) {
    return new EventReplay(
        new EventLog(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), env.clock()));
  }

  /** Days before the due date that {@code invoice.due_soon} is sent, for the whole deployment. */
  static final String DUE_SOON_DAYS = "DUE_SOON_DAYS";

  static DueDateEvents dueDates(Environment env) {
    return dueDates(env, env.clock());
  }

  static DueDateEvents dueDates(Environment env, Clock clock) {
    var dynamo = AwsClients.dynamoDb(env);
    String table = env.required("TABLE_NAME");
    EventLog log = new EventLog(dynamo, table, clock);
    return new DueDateEvents(
        new DueDateIndex(dynamo, table),
        new InvoiceStore(dynamo, table, clock),
        log,
        new EventRelay(log, EventPublishers.deployed(env)),
        env.getInt(DUE_SOON_DAYS, 3),
        clock,
        List.of(
            new DueDateBackfill(dynamo, table, clock),
            new CreditNoteBackfill(dynamo, table, clock)));
  }

  /** What priming runs: one index read of an hour long past, which names no invoice. */
  @FunctionalInterface
  interface Priming {
    void run();
  }

  static Priming priming(Environment env) {
    DueDateIndex index = new DueDateIndex(AwsClients.dynamoDb(env), env.required("TABLE_NAME"));
    return () -> index.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
  }
}
