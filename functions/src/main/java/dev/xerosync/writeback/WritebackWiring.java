package dev.xerosync.writeback;

import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.notify.BusinessEvents;
import dev.xerosync.outbox.DryRun;
import dev.xerosync.outbox.Outbox;
import dev.xerosync.outbox.WriteExecutor;
import dev.xerosync.queue.Redelivery;
import dev.xerosync.queue.WriteQueue;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Operations;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.RateBudgets;
import dev.xerosync.syncengine.TenantRateBudget;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroWrites;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The write API's and the write worker's collaborators, built once per container. */
public record WritebackWiring(
    Outbox outbox,
    @Nullable WriteExecutor executor,
    DryRun dryRun,
    Operations operations,
    Redelivery redelivery,
    PanelGrants grants,
    PanelTokens settingsTokens,
    Clock clock) {

  /**
   * Of Xero's per-tenant minute, day and app-minute allowances, this share is left to reads: writes
   * take from the same DynamoDB budget but stop short of it, so a burst of writes can slow itself
   * down but never starve the sync.
   */
  static final double READ_RESERVE = 0.25;

  public static WritebackWiring of(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.sqs(env), null);
  }

  /** The write API needs no Xero access: it only records and queues. */
  public static WritebackWiring forApi(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.sqs(env), null);
  }

  public static WritebackWiring forWorker(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.sqs(env), AwsClients.secretsManager(env));
  }

  public static WritebackWiring of(
      Environment env,
      DynamoDbClient dynamo,
      SqsClient sqs,
      @Nullable SecretsManagerClient secrets) {
    Clock clock = env.clock();
    String table = env.required("TABLE_NAME");
    Operations operations = new Operations(dynamo, table);
    QueuedOperationEvents events =
        new QueuedOperationEvents(
            new WriteQueue(
                sqs,
                env.required("WRITE_QUEUE_URL"),
                env.optional("NOTIFICATION_QUEUE_URL").orElse(null)),
            new ConnectionRecords(dynamo, table),
            clock);
    Outbox outbox =
        new Outbox(
            operations,
            events,
            clock,
            new Outbox.Admission(
                share(TenantRateBudget.Limits.fromEnvironment(env)).perMinute(),
                Duration.ofMinutes(
                    env.getInt(
                        "WRITE_DEADLINE_MINUTES", (int) Outbox.DEFAULT_DEADLINE.toMinutes()))));
    WriteExecutor executor = null;
    if (secrets != null) {
      HttpClient http = XeroApi.defaultHttpClient();
      AccessTokens tokens = AccessTokens.fromEnvironment(env, secrets, dynamo, table, http, clock);
      TenantRateBudget budget =
          new TenantRateBudget(
              new RateBudgets(dynamo, table),
              clock,
              share(TenantRateBudget.Limits.fromEnvironment(env)));
      executor =
          new WriteExecutor(
              operations,
              new XeroWrites(
                  http,
                  URI.create(env.required("XERO_API_BASE_URL")),
                  budget,
                  Duration.ofSeconds(env.getInt("XERO_WRITE_TIMEOUT_SECONDS", 20))),
              new TenantXero(tokens),
              // Read-your-writes logs the write's business events; Xero's echo of it logs none.
              new InvoiceStore(
                  dynamo, table, clock, BusinessEvents.of(new EventLog(dynamo, table, clock), env)),
              new ContactStore(dynamo, table),
              events,
              clock,
              Duration.ofMillis(env.getInt("WRITE_INLINE_BACKOFF_MS", 200)));
    }
    DryRun dryRun =
        new DryRun(
            operations, new InvoiceStore(dynamo, table, clock), new ContactStore(dynamo, table));
    return new WritebackWiring(
        outbox,
        executor,
        dryRun,
        operations,
        Redelivery.of(sqs, env.required("WRITE_QUEUE_URL")),
        new PanelGrants(dynamo, table),
        PanelTokens.settings(
            new PanelGrants(dynamo, table), new ApiKeys(dynamo, table, clock), clock),
        clock);
  }

  /** The writes' part of each of Xero's limits; the rest stays for reads. */
  static TenantRateBudget.Limits share(TenantRateBudget.Limits limits) {
    return new TenantRateBudget.Limits(
        share(limits.perMinute()), share(limits.perDay()), share(limits.appPerMinute()));
  }

  static int share(int limit) {
    return Math.max(1, (int) Math.floor(limit * (1 - READ_RESERVE)));
  }
}
