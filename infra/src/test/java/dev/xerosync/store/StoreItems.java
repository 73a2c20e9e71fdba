package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Lets benchmarks seed items in bulk in exactly the shape the store writes, instead of keeping a
 * copy of {@link ItemCodec} that drifts.
 */
public final class StoreItems {
  private StoreItems() {}

  public static Map<String, AttributeValue> invoice(
      String tenantId, XeroInvoice invoice, Instant syncedAt) {
    return ItemCodec.invoiceItem(tenantId, invoice, syncedAt);
  }
}
