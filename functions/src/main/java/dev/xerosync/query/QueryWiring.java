package dev.xerosync.query;

import dev.xerosync.auth.AdminAuth;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.RequestAuthorizer;
import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.store.AgingLedger;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.InvoiceViews;
import dev.xerosync.store.Organisations;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.RecordLinks;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The query API's collaborators, built once per container from the function's environment; and
 * those of the authorizer and the API-key admin function, which read the same table.
 */
public record QueryWiring(
    Organisations organisations,
    ContactStore contacts,
    InvoiceViews views,
    InvoiceStore invoiceStore,
    RecordLinks records,
    AgingLedger agingLedger,
    PanelGrants panelGrants,
    PanelTokens panelTokens,
    Clock clock) {

  public static QueryWiring of(Environment env) {
    return of(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), env.clock());
  }

  public static QueryWiring of(DynamoDbClient dynamo, String table, Clock clock) {
    PanelGrants grants = new PanelGrants(dynamo, table);
    return new QueryWiring(
        new Organisations(dynamo, table, clock),
        new ContactStore(dynamo, table),
        new InvoiceViews(dynamo, table),
        new InvoiceStore(dynamo, table, clock),
        new RecordLinks(dynamo, table),
        new AgingLedger(dynamo, table),
        grants,
        new PanelTokens(grants, new ApiKeys(dynamo, table, clock), clock),
        clock);
  }

  /** The authorizer function's decision: API keys, admin tokens, panel and settings tokens. */
  public static RequestAuthorizer authorizer(Environment env) {
    DynamoDbClient dynamo = AwsClients.dynamoDb(env);
    String table = env.required("TABLE_NAME");
    Clock clock = env.clock();
    ApiKeys keys = new ApiKeys(dynamo, table, clock);
    PanelGrants grants = new PanelGrants(dynamo, table);
    return new RequestAuthorizer(
        keys,
        new AdminAuth(AppSecrets.field(env, "adminApiKey", "ADMIN_API_KEY"), clock),
        new PanelTokens(grants, keys, clock),
        PanelTokens.settings(grants, keys, clock));
  }

  /** The API-key admin function's one collaborator. */
  public static ApiKeys apiKeys(Environment env) {
    return new ApiKeys(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), env.clock());
  }
}
