package dev.xerosync.connect;

import dev.xerosync.auth.AdminAuth;
import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Requests;
import dev.xerosync.notify.ConnectionAlerts;
import dev.xerosync.notify.Notifications;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.store.ConnectFlows;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Connections;
import dev.xerosync.store.RefreshLease;
import dev.xerosync.store.TenantPurge;
import dev.xerosync.syncengine.InitialSyncStarter;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.tokens.TokenVault;
import dev.xerosync.tokens.XeroIdentity;
import dev.xerosync.tokens.XeroTenantConnections;
import dev.xerosync.xero.XeroApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The connection lifecycle's collaborators, built once per container from the function's
 * environment. The app's secrets are read here, once: a warm function makes no Secrets Manager call
 * for them.
 */
public record ConnectWiring(
    Environment env,
    Clock clock,
    HttpClient http,
    DynamoDbClient dynamo,
    SqsClient sqs,
    SecretsManagerClient secretsManager,
    String table,
    AppSecrets secrets,
    Connections connections,
    ConnectionRecords records,
    TenantPurge purge,
    ConnectFlows flows,
    TokenVault vault,
    TokenVault pendingVault,
    XeroIdentity identity,
    XeroTenantConnections tenantConnections,
    AccessTokens tokens,
    Notifications notifications,
    ConnectionAlerts alerts,
    AdminAuth admin,
    ConnectState state) {

  public static final String PENDING_PREFIX = "xero-sync/connect-flows/";

  /**
   * This API's public base URL: PUBLIC_API_URL (a custom domain) if set, else as the request
   * reached it.
   */
  public String baseUrl(
      com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent request) {
    return env.optional("PUBLIC_API_URL")
        .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
        .orElseGet(() -> Requests.baseUrl(request));
  }

  /**
   * All the callback needs to start an initial sync: the connection item and the sync queue (the
   * pages run in the worker, with its rate budget).
   */
  public InitialSyncStarter initialSync() {
    return new InitialSyncStarter(
        connections, new SyncQueue(sqs, env.required("SYNC_QUEUE_URL")), clock);
  }

  public static ConnectWiring of(Environment env) {
    Clock clock = env.clock();
    HttpClient http = XeroApi.defaultHttpClient();
    DynamoDbClient dynamo = AwsClients.dynamoDb(env);
    SqsClient sqs = AwsClients.sqs(env);
    SecretsManagerClient sm = AwsClients.secretsManager(env);
    String table = env.required("TABLE_NAME");
    AppSecrets secrets =
        AppSecrets.load(sm, env.required("APP_SECRET_ID"), env.required("STATE_SECRET_ID"));
    Connections connections = new Connections(dynamo, table);
    ConnectionRecords records = new ConnectionRecords(dynamo, table);
    TokenVault vault =
        new TokenVault(sm, env.get("CONNECTION_SECRET_PREFIX", TokenVault.DEFAULT_PREFIX));
    TokenVault pending = new TokenVault(sm, env.get("CONNECT_FLOW_SECRET_PREFIX", PENDING_PREFIX));
    XeroIdentity identity =
        new XeroIdentity(
            http,
            URI.create(env.required("XERO_IDENTITY_BASE_URL")),
            env.required("XERO_CLIENT_ID"),
            secrets.clientSecret(),
            clock);
    AccessTokens tokens =
        new AccessTokens(vault, identity, new RefreshLease(dynamo, table, clock), clock);
    Notifications notifications = new Notifications(sqs, env.required("NOTIFICATION_QUEUE_URL"));
    return new ConnectWiring(
        env,
        clock,
        http,
        dynamo,
        sqs,
        sm,
        table,
        secrets,
        connections,
        records,
        new TenantPurge(dynamo, table),
        new ConnectFlows(dynamo, table, clock),
        vault,
        pending,
        identity,
        new XeroTenantConnections(http, URI.create(env.required("XERO_API_BASE_URL"))),
        tokens,
        notifications,
        new ConnectionAlerts(connections, records, notifications, clock),
        new AdminAuth(secrets.adminApiKey(), clock),
        new ConnectState(secrets.stateSigningKey(), clock));
  }
}
