package dev.xerosync.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque continuation token: for each partition a listing reads (one per contact), where it goes on
 * from, or that it is finished; base64url JSON. On the way back in, every key must have exactly the
 * attributes of the listing's index and name the partition the query reads for that contact in this
 * tenant, so a cursor can neither reach another tenant's data nor make DynamoDB refuse the request.
 */
public final class PageCursor {
  static final String INVALID =
      "cursor is not valid; pass back the nextCursor value of the previous page unchanged";
  static final String OTHER_LISTING =
      "cursor belongs to a different listing; pass back the nextCursor value of the previous page with the same parameters";

  public record State(Map<String, Map<String, AttributeValue>> positions, Set<String> done) {
    static final State START = new State(Map.of(), Set.of());
  }

  private PageCursor() {}

  /** Null when nothing is left to read. */
  public static @Nullable String encode(
      String listing, Map<String, Map<String, AttributeValue>> positions, Set<String> done) {
    if (positions.isEmpty()) {
      return null;
    }
    ObjectNode root = Json.MAPPER.createObjectNode().put("l", listing);
    ObjectNode p = root.putObject("p");
    positions.forEach(
        (partition, key) -> {
          ObjectNode k = p.putObject(partition);
          key.forEach((name, value) -> k.put(name, value.s()));
        });
    var d = root.putArray("d");
    done.forEach(d::add);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(root.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param keyAttributes the attributes a start key of this listing has
   * @param partitionAttribute the one among them that names the partition
   * @param expectedPartition for a partition name in the cursor, the partition it must read, or
   *     null if it is not one of this listing's
   * @param itemPkPrefix the table pk every item of this listing starts with
   */
  public static State decode(
      @Nullable String cursor,
      String listing,
      Set<String> keyAttributes,
      String partitionAttribute,
      Function<String, String> expectedPartition,
      String itemPkPrefix)
      throws InvalidCursor {
    return decode(
        cursor, listing, keyAttributes, partitionAttribute, expectedPartition, p -> itemPkPrefix);
  }

  /** As above, where each partition's items have their own table pk prefix. */
  public static State decode(
      @Nullable String cursor,
      String listing,
      Set<String> keyAttributes,
      String partitionAttribute,
      Function<String, String> expectedPartition,
      Function<String, String> itemPkPrefix)
      throws InvalidCursor {
    if (cursor == null) {
      return State.START;
    }
    JsonNode root;
    try {
      root =
          Json.MAPPER.readTree(
              Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new InvalidCursor(INVALID);
    }
    if (root == null
        || !root.path("l").isTextual()
        || !root.path("p").isObject()
        || !root.path("d").isArray()) {
      throw new InvalidCursor(INVALID);
    }
    if (!listing.equals(root.get("l").asText())) {
      throw new InvalidCursor(OTHER_LISTING);
    }
    Map<String, Map<String, AttributeValue>> positions = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.get("p").fields(); it.hasNext(); ) {
      var e = it.next();
      String expected = expectedPartition.apply(e.getKey());
      if (expected != null && e.getValue().isObject() && e.getValue().isEmpty()) {
        continue; // A partition that has not started yet: it starts from the beginning.
      }
      if (expected == null
          || !e.getValue().isObject()
          || e.getValue().size() != keyAttributes.size()) {
        throw new InvalidCursor(OTHER_LISTING);
      }
      Map<String, AttributeValue> key = new LinkedHashMap<>();
      for (String attribute : keyAttributes) {
        JsonNode v = e.getValue().get(attribute);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
          throw new InvalidCursor(INVALID);
        }
        key.put(attribute, AttributeValue.fromS(v.asText()));
      }
      if (!expected.equals(ItemCodec.attr(key, partitionAttribute).s())
          || !ItemCodec.attr(key, "pk").s().startsWith(itemPkPrefix.apply(e.getKey()))) {
        throw new InvalidCursor(OTHER_LISTING);
      }
      positions.put(e.getKey(), key);
    }
    Set<String> done = new LinkedHashSet<>();
    for (JsonNode d : root.get("d")) {
      if (!d.isTextual() || expectedPartition.apply(d.asText()) == null) {
        throw new InvalidCursor(OTHER_LISTING);
      }
      done.add(d.asText());
    }
    return new State(positions, done);
  }

  /** True if the position's string attribute {@code name} starts with {@code prefix}. */
  public static boolean startsWith(
      Map<String, AttributeValue> position, String name, String prefix) {
    AttributeValue v = position.get(name);
    return v != null && v.s() != null && v.s().startsWith(prefix);
  }

  /** A cursor that was altered, belongs to another listing, or is not ours; says which. */
  public static final class InvalidCursor extends Exception {
    private final String reason;

    InvalidCursor(String message) {
      super(message);
      this.reason = message;
    }

    /** The reason, never null: what the 400 answer says. */
    @Override
    public String getMessage() {
      return reason;
    }
  }
}
