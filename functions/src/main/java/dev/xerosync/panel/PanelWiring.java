package dev.xerosync.panel;

import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.Connections;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.PanelSockets;
import dev.xerosync.store.RecordLinks;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The panel functions' collaborators, built once per container from their environment; {@code
 * socketUrl} is the WebSocket API's URL a panel opens for change notices (PANEL_SOCKET_URL), null
 * where there is none.
 */
public record PanelWiring(
    PanelGrants grants,
    PanelTokens tokens,
    PanelTokens settingsTokens,
    Connections connections,
    RecordLinks links,
    PanelSockets sockets,
    Clock clock,
    @Nullable String socketUrl) {

  public static PanelWiring of(Environment env) {
    return of(
        AwsClients.dynamoDb(env),
        env.required("TABLE_NAME"),
        env.clock(),
        env.optional("PANEL_SOCKET_URL").orElse(null));
  }

  public static PanelWiring of(DynamoDbClient dynamo, String table, Clock clock) {
    return of(dynamo, table, clock, null);
  }

  private static PanelWiring of(
      DynamoDbClient dynamo, String table, Clock clock, @Nullable String socketUrl) {
    PanelGrants grants = new PanelGrants(dynamo, table);
    ApiKeys keys = new ApiKeys(dynamo, table, clock);
    return new PanelWiring(
        grants,
        new PanelTokens(grants, keys, clock),
        PanelTokens.settings(grants, keys, clock),
        new Connections(dynamo, table),
        new RecordLinks(dynamo, table),
        new PanelSockets(dynamo, table),
        clock,
        socketUrl);
  }
}
