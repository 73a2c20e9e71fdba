package dev.xerosync.sync;

import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.notify.BusinessEvents;
import dev.xerosync.notify.ConnectionAlerts;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.Notifications;
import dev.xerosync.queue.DeadLetterRedrive;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.store.ChangeFetches;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Connections;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.store.SetAsideItems;
import dev.xerosync.syncengine.SyncAlerts;
import dev.xerosync.syncengine.TenantRateBudget;
import dev.xerosync.syncengine.TenantSync;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.xero.XeroApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The sync functions' collaborators, built once per container from the function's environment. The
 * record is the worker's; {@link Queues}, {@link #connections} and {@link Redrives} are what the
 * reconcile, delayed-sync and redrive functions use, so each builds only the clients it needs.
 */
public record SyncWiring(
    TenantSync sync,
    DeferredSyncs deferred,
    Connections connections,
    TenantRateBudget budget,
    @Nullable ConnectionAlerts alerts,
    Redelivery redelivery,
    EventRelay events,
    Clock clock) {

  public static SyncWiring of(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.sqs(env), AwsClients.secretsManager(env));
  }

  /** With the AWS clients given, e.g. clients that fail on purpose in a chaos test. */
  public static SyncWiring of(
      Environment env, DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets) {
    HttpClient http = XeroApi.defaultHttpClient();
    Clock clock = env.clock();
    String table = env.required("TABLE_NAME");
    Queues queues = Queues.of(env, sqs, clock);
    var tokens = AccessTokens.fromEnvironment(env, secrets, dynamo, table, http, clock);
    var budget =
        new TenantRateBudget(
            new RateBudgets(dynamo, table), clock, TenantRateBudget.Limits.fromEnvironment(env));
    var connections = new Connections(dynamo, table);
    BusinessEvents events = BusinessEvents.of(new EventLog(dynamo, table, clock), env);
    var sync =
        new TenantSync(
            new XeroApi(http, URI.create(env.required("XERO_API_BASE_URL")), budget),
            tokens,
            new InvoiceStore(dynamo, table, clock, events),
            new ContactStore(dynamo, table, clock, events),
            new CreditStore(dynamo, table, clock, events),
            connections,
            queues.sync(),
            clock,
            new ChangeFetches(dynamo, table),
            new SetAsideItems(dynamo, table, clock));
    ConnectionAlerts alerts =
        env.optional("NOTIFICATION_QUEUE_URL")
            .map(
                url ->
                    new ConnectionAlerts(
                        connections,
                        new ConnectionRecords(dynamo, table),
                        new Notifications(sqs, url),
                        clock))
            .orElse(null);
    return new SyncWiring(
        sync,
        queues.delay(),
        connections,
        budget,
        alerts,
        Redelivery.of(sqs, env.required("SYNC_QUEUE_URL")),
        events.relay(),
        clock);
  }

  /** The connection alerts as the sync engine sees them; null stays null. */
  static @Nullable SyncAlerts alerts(@Nullable ConnectionAlerts alerts) {
    if (alerts == null) {
      return null;
    }
    return new SyncAlerts() {
      @Override
      public void needsReconnect(String tenantId, @Nullable String cause) {
        alerts.needsReconnect(tenantId, cause);
      }

      @Override
      public void syncError(String tenantId, String cause) {
        alerts.syncError(tenantId, cause);
      }

      @Override
      public void initialSyncComplete(String tenantId) {
        alerts.initialSyncComplete(tenantId);
      }
    };
  }

  /** The connections table, for the reconcile function's sweep. */
  public static Connections connections(Environment env) {
    return new Connections(AwsClients.dynamoDb(env), env.required("TABLE_NAME"));
  }

  /** The FIFO sync queue and the delay queue in front of it, on one SQS client. */
  public record Queues(SyncQueue sync, DeferredSyncs delay, Clock clock) {
    public static Queues of(Environment env) {
      return of(env, AwsClients.sqs(env), env.clock());
    }

    static Queues of(Environment env, SqsClient sqs, Clock clock) {
      return new Queues(
          new SyncQueue(sqs, env.required("SYNC_QUEUE_URL")),
          new DeferredSyncs(sqs, env.required("SYNC_DELAY_QUEUE_URL"), clock),
          clock);
    }
  }

  /** The redrive function's: each queue's dead-letter queue and where its messages go back to. */
  public record Redrives(DeadLetterRedrive redrive, Map<String, String[]> queues) {
    public static Redrives of(Environment env) {
      return new Redrives(
          new DeadLetterRedrive(AwsClients.sqs(env)),
          Map.of(
              "sync",
                  new String[] {
                    env.required("SYNC_DEAD_LETTER_QUEUE_URL"), env.required("SYNC_QUEUE_URL")
                  },
              "delay",
                  new String[] {
                    env.required("SYNC_DELAY_DEAD_LETTER_QUEUE_URL"),
                    env.required("SYNC_DELAY_QUEUE_URL")
                  }));
    }
  }
}
