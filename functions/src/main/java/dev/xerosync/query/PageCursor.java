package dev.xerosync.query;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.xerosync.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque continuation token: the last evaluated key, base64url-encoded. On the way back in it must
 * name the same partition the query reads, so a cursor can never reach another tenant's data.
 */
final class PageCursor {
    private PageCursor() {}

    static String encode(Map<String, AttributeValue> lastKey) {
        if (lastKey == null) {
            return null;
        }
        Map<String, String> plain = new LinkedHashMap<>();
        lastKey.forEach((k, v) -> plain.put(k, v.s()));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(plain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, AttributeValue> decode(String cursor, String partitionAttribute, String expectedPartition)
            throws BadRequest {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        Map<String, String> plain;
        try {
            plain = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)),
                    new TypeReference<Map<String, String>>() {});
        } catch (Exception e) {
            throw new BadRequest("cursor is not valid; pass back the nextCursor value of the previous page unchanged");
        }
        if (plain == null || !expectedPartition.equals(plain.get(partitionAttribute)) || plain.values().stream().anyMatch(v -> v == null)) {
            throw new BadRequest("cursor belongs to a different listing; pass back the nextCursor value of the previous page unchanged");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        plain.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
        return key;
    }
}
