package dev.xerosync.panel;

import dev.xerosync.auth.DocumentLinks;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.OnlineInvoices;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.RecordLinks;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.CallBudget;
import dev.xerosync.xero.XeroInvoiceDocuments;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The panel documents function's collaborators, built once per container. */
public record PanelDocumentsWiring(
    PanelGrants grants,
    PanelTokens tokens,
    InvoiceStore invoices,
    RecordLinks records,
    OnlineInvoices onlineInvoices,
    TenantXero xero,
    XeroInvoiceDocuments documents,
    DocumentLinks links,
    Clock clock) {

  public static PanelDocumentsWiring of(Environment env) {
    return of(env, AwsClients.dynamoDb(env), AwsClients.secretsManager(env), env.clock());
  }

  public static PanelDocumentsWiring of(
      Environment env, DynamoDbClient dynamo, SecretsManagerClient secrets, Clock clock) {
    PanelXeroBase base = PanelXeroBase.of(env, dynamo, secrets, clock);
    String table = base.table();
    String signing =
        secrets.getSecretValue(r -> r.secretId(env.required("STATE_SECRET_ID"))).secretString();
    return new PanelDocumentsWiring(
        base.grants(),
        new PanelTokens(base.grants(), base.keys(), clock),
        new InvoiceStore(dynamo, table, clock),
        new RecordLinks(dynamo, table),
        new OnlineInvoices(dynamo, table),
        base.xero(),
        // Outside the sync's budget: one call per invoice ever, and one per PDF opened; a 429
        // from Xero is answered as "try again shortly".
        new XeroInvoiceDocuments(base.http(), base.xeroApi(), CallBudget.UNLIMITED),
        new DocumentLinks(signing, clock),
        clock);
  }
}
