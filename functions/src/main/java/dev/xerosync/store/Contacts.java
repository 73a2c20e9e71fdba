package dev.xerosync.store;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Xero contacts as the sync stores them: {@code pk = T#{tenant}#C#{contactId}, sk = CONTACT}. */
public final class Contacts {
    public record Contact(String contactId, String name, boolean customer, boolean supplier, String status) {}

    private final DynamoDbClient dynamo;
    private final String table;

    public Contacts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Optional<Contact> get(String tenantId, String contactId) {
        var response = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("pk", ItemCodec.s(Keys.contactPk(tenantId, contactId)), "sk", ItemCodec.s(Keys.CONTACT_SK))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        var item = response.item();
        return Optional.of(new Contact(contactId, ItemCodec.str(item, "name"), bool(item, "isCustomer"),
                bool(item, "isSupplier"), ItemCodec.str(item, "status")));
    }

    /** Written as a BOOL; a string "true" from a hand-written item is read the same. */
    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return false;
        }
        return v.bool() != null ? v.bool() : "true".equalsIgnoreCase(v.s());
    }
}
