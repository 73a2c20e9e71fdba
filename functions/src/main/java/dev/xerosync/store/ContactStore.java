package dev.xerosync.store;

import dev.xerosync.xero.XeroContact;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Contacts, written only when the incoming version is newer than the stored one. */
public final class ContactStore {
  private final DynamoDbClient dynamo;
  private final String table;

  public ContactStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public java.util.Optional<XeroContact> get(String tenantId, String contactId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.contactPk(tenantId, contactId), Keys.CONTACT_SK)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return java.util.Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    long updatedMs = Long.parseLong(ItemCodec.attr(item, "updatedMs").n());
    return java.util.Optional.of(
        new XeroContact(
            contactId,
            text(item, "name"),
            text(item, "status"),
            ItemCodec.attr(item, "isCustomer").bool(),
            ItemCodec.attr(item, "isSupplier").bool(),
            text(item, "email"),
            updatedMs == 0 ? null : java.time.Instant.ofEpochMilli(updatedMs)));
  }

  private static @Nullable String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  public UpsertOutcome upsert(String tenantId, XeroContact c) {
    String contactId = ItemCodec.required(c.contactId(), "ContactID");
    Map<String, AttributeValue> item =
        Keys.item(Keys.contactPk(tenantId, contactId), Keys.CONTACT_SK);
    item.put("tenantId", AttributeValue.fromS(tenantId));
    item.put("contactId", AttributeValue.fromS(contactId));
    if (c.name() != null) {
      item.put("name", AttributeValue.fromS(c.name()));
    }
    if (c.email() != null && !c.email().isBlank()) {
      item.put("email", AttributeValue.fromS(c.email()));
    }
    item.put("status", AttributeValue.fromS(c.status() == null ? "ACTIVE" : c.status()));
    item.put("isCustomer", AttributeValue.fromBool(c.isCustomer()));
    item.put("isSupplier", AttributeValue.fromBool(c.isSupplier()));
    long updatedMs = c.updatedDateUtc() == null ? 0 : c.updatedDateUtc().toEpochMilli();
    item.put("updatedMs", AttributeValue.fromN(Long.toString(updatedMs)));
    try {
      boolean written =
          TenantFence.put(
              dynamo,
              table,
              tenantId,
              r ->
                  r.tableName(table)
                      .item(TenantItems.stamp(tenantId, item))
                      .conditionExpression("attribute_not_exists(updatedMs) OR updatedMs < :u")
                      .expressionAttributeValues(
                          Map.of(":u", AttributeValue.fromN(Long.toString(updatedMs)))));
      return written ? UpsertOutcome.UPDATED : UpsertOutcome.UNCHANGED;
    } catch (ConditionalCheckFailedException e) {
      return UpsertOutcome.UNCHANGED;
    }
  }
}
