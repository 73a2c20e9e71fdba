package dev.xerosync.panel;

import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.Connections;
import dev.xerosync.store.PanelGrants;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The panel function's collaborators, built once per container from its environment. */
public record PanelWiring(
    PanelGrants grants, PanelTokens tokens, PanelTokens settingsTokens, Connections connections) {

  public static PanelWiring of(Environment env) {
    return of(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), Clock.systemUTC());
  }

  public static PanelWiring of(DynamoDbClient dynamo, String table, Clock clock) {
    PanelGrants grants = new PanelGrants(dynamo, table);
    ApiKeys keys = new ApiKeys(dynamo, table, clock);
    return new PanelWiring(
        grants,
        new PanelTokens(grants, keys, clock),
        PanelTokens.settings(grants, keys, clock),
        new Connections(dynamo, table));
  }
}
