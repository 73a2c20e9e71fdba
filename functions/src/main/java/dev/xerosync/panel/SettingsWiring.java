package dev.xerosync.panel;

import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Connections;
import dev.xerosync.store.Operations;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.CallBudget;
import dev.xerosync.xero.XeroApi;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The settings function's collaborators, built once per container. */
public record SettingsWiring(
    PanelGrants grants,
    PanelTokens settingsTokens,
    Connections connections,
    ConnectionRecords records,
    Operations operations,
    TenantXero xero,
    XeroApi api,
    Clock clock) {

  public static SettingsWiring of(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.secretsManager(env), env.clock());
  }

  public static SettingsWiring of(
      Environment env, DynamoDbClient dynamo, SecretsManagerClient secrets, Clock clock) {
    PanelXeroBase base = PanelXeroBase.of(env, dynamo, secrets, clock);
    String table = base.table();
    return new SettingsWiring(
        base.grants(),
        PanelTokens.settings(base.grants(), base.keys(), clock),
        new Connections(dynamo, table),
        new ConnectionRecords(dynamo, table),
        new Operations(dynamo, table),
        base.xero(),
        // Outside the sync's budget: one call when an admin opens the set-up, at most hourly.
        new XeroApi(base.http(), base.xeroApi(), CallBudget.UNLIMITED),
        clock);
  }
}
