package dev.xerosync.panel;

import dev.xerosync.common.Environment;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.XeroApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the panel's functions that call Xero build alike, once per container: the table's grants
 * (tokens and CORS), its API keys, and the tenant's Xero access over one HTTP client.
 */
record PanelXeroBase(
    String table, PanelGrants grants, ApiKeys keys, HttpClient http, URI xeroApi, TenantXero xero) {

  static PanelXeroBase of(
      Environment env, DynamoDbClient dynamo, SecretsManagerClient secrets, Clock clock) {
    String table = env.required("TABLE_NAME");
    HttpClient http = XeroApi.defaultHttpClient();
    return new PanelXeroBase(
        table,
        new PanelGrants(dynamo, table),
        new ApiKeys(dynamo, table, clock),
        http,
        URI.create(env.required("XERO_API_BASE_URL")),
        new TenantXero(AccessTokens.fromEnvironment(env, secrets, dynamo, table, http, clock)));
  }
}
