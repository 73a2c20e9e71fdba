package dev.xerosync.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Each invoice's online invoice link (Xero's {@code GET /Invoices/{id}/OnlineInvoice}), kept once
 * fetched so that showing it again costs no call to Xero: {@code pk = T#{tenant}#INV#{invoice}, sk
 * = ONLINEINVOICE}, beside the invoice, purged with the tenant.
 */
public final class OnlineInvoices {
  private final DynamoDbClient dynamo;
  private final String table;

  public OnlineInvoices(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public Optional<String> get(String tenantId, String invoiceId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.invoicePk(tenantId, invoiceId), Keys.ONLINE_INVOICE_SK)));
    return response.hasItem()
        ? Optional.ofNullable(ItemCodec.str(response.item(), "url"))
        : Optional.empty();
  }

  public void put(String tenantId, String invoiceId, String url, Instant now) {
    dynamo.putItem(
        r ->
            r.tableName(table)
                .item(
                    TenantItems.stamp(
                        tenantId,
                        Keys.item(
                            Keys.invoicePk(tenantId, invoiceId),
                            Keys.ONLINE_INVOICE_SK,
                            Map.of(
                                "tenantId",
                                ItemCodec.s(tenantId),
                                "url",
                                ItemCodec.s(url),
                                "fetchedAt",
                                ItemCodec.s(now.toString()))))));
  }
}
