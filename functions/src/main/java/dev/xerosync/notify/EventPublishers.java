package dev.xerosync.notify;

import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Subscriptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Where the business events go once logged: the one place every wiring asks. */
public final class EventPublishers {
  private EventPublishers() {}

  /**
   * Delivers nothing: the events stay in the log, marked published, and replay serves them. For
   * code that stores records without publishing (tests, tools).
   */
  public static final EventPublisher NOT_DELIVERED = events -> {};

  /**
   * The deployment's publisher: to the subscriptions, through EVENT_QUEUE_URL ({@link
   * SqsEventPublisher}). Every function that stores changes (the sync and write workers) has it;
   * without it, {@link #NOT_DELIVERED}.
   */
  public static EventPublisher deployed(Environment env) {
    return env.optional("EVENT_QUEUE_URL")
        .<EventPublisher>map(
            url -> {
              DynamoDbClient dynamo = AwsClients.dynamoDb(env);
              String table = env.required("TABLE_NAME");
              ConnectionRecords records = new ConnectionRecords(dynamo, table);
              return new SqsEventPublisher(
                  records,
                  new EventFanOut(
                      new Subscriptions(dynamo, table),
                      records,
                      new EventQueue(AwsClients.sqs(env), url)));
            })
        .orElse(NOT_DELIVERED);
  }
}
