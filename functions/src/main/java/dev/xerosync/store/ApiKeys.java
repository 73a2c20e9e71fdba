package dev.xerosync.store;

import dev.xerosync.common.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Per-tenant API keys, stored only as SHA-256 hashes. A key is {@code xsk_{keyId}_{secret}} with a
 * 256-bit random secret: with that much entropy a fast unsalted hash cannot be reversed by
 * guessing, and it lets a request find its key with one GetItem on the hash (salted, slow hashes
 * are for low-entropy passwords). The key id is public: it names the key in lists, logs and
 * revocation without revealing it.
 *
 * <p>Two items per key: {@code pk = APIKEY#{hash}} maps a presented key to its tenant, and {@code
 * pk = T#{tenant}#APIKEYS, sk = KEY#{keyId}} lists a tenant's keys. Revoking deletes the first.
 */
public final class ApiKeys {
  /**
   * How long a revoked or purged key may still be accepted anywhere (docs/security.md): the longest
   * any cache holds a positive answer. API Gateway caches the {@code TenantKey} authorizer's result
   * this long (template.yaml's ReauthorizeEvery, held to this by TemplateInvariantsTest), so {@link
   * #caller} reads uncached; a key's liveness behind a panel token is cached this long ({@link
   * #live}).
   */
  public static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);

  /** A positive {@link #live} answer is trusted this long per container. */
  static final Duration CACHE_TTL = REVOCATION_BOUND;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new key: {@code secret} is shown once to the admin and never stored. */
  public record IssuedKey(
      String keyId, String tenantId, String name, Instant createdAt, @Nullable String secret) {}

  public record KeyInfo(
      String keyId,
      String tenantId,
      @Nullable String name,
      Instant createdAt,
      @Nullable Instant revokedAt) {}

  /** Who presented a key: its tenant, and its public id for logs. */
  public record Caller(String tenantId, String keyId) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final Map<String, Instant> liveUntil = new ConcurrentHashMap<>();

  public ApiKeys(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  public IssuedKey create(String tenantId, String name) {
    String keyId = random(9);
    String secret = "xsk_" + keyId + "_" + random(32);
    String hash = hash(secret);
    Instant now = clock.instant();
    Map<String, AttributeValue> lookup =
        Keys.item(
            Keys.apiKeyPk(hash),
            Keys.API_KEY_SK,
            Map.of("tenantId", ItemCodec.s(tenantId), "keyId", ItemCodec.s(keyId)));
    Map<String, AttributeValue> entry =
        Keys.item(
            Keys.tenantApiKeysPk(tenantId),
            Keys.API_KEY_ENTRY_SK_PREFIX + keyId,
            Map.of(
                "tenantId",
                ItemCodec.s(tenantId),
                "keyId",
                ItemCodec.s(keyId),
                "keyHash",
                ItemCodec.s(hash),
                "name",
                ItemCodec.s(name),
                "createdAt",
                ItemCodec.s(now.toString())));
    dynamo.transactWriteItems(
        r ->
            r.transactItems(
                TransactWriteItem.builder()
                    .put(
                        p ->
                            p.tableName(table)
                                .item(TenantItems.stamp(tenantId, lookup))
                                .conditionExpression("attribute_not_exists(pk)"))
                    .build(),
                TransactWriteItem.builder()
                    .put(
                        p ->
                            p.tableName(table)
                                .item(TenantItems.stamp(tenantId, entry))
                                .conditionExpression("attribute_not_exists(pk)"))
                    .build()));
    return new IssuedKey(keyId, tenantId, name, now, secret);
  }

  /** Revokes a tenant's key; false if the tenant has no such key or it was revoked already. */
  public boolean revoke(String tenantId, String keyId) {
    var entryKey = Keys.key(Keys.tenantApiKeysPk(tenantId), Keys.API_KEY_ENTRY_SK_PREFIX + keyId);
    var entry = dynamo.getItem(r -> r.tableName(table).key(entryKey).consistentRead(true));
    if (!entry.hasItem() || entry.item().isEmpty() || entry.item().containsKey("revokedAt")) {
      return false;
    }
    String hash = ItemCodec.requiredStr(entry.item(), "keyHash");
    dynamo.transactWriteItems(
        r ->
            r.transactItems(
                TransactWriteItem.builder()
                    .delete(
                        d -> d.tableName(table).key(Keys.key(Keys.apiKeyPk(hash), Keys.API_KEY_SK)))
                    .build(),
                TransactWriteItem.builder()
                    .update(
                        u ->
                            u.tableName(table)
                                .key(entryKey)
                                .updateExpression("SET revokedAt = :now")
                                .conditionExpression("attribute_not_exists(revokedAt)")
                                .expressionAttributeValues(
                                    Map.of(":now", ItemCodec.s(clock.instant().toString()))))
                    .build()));
    liveUntil.remove(tenantId + "/" + keyId);
    return true;
  }

  public List<KeyInfo> list(String tenantId) {
    List<KeyInfo> keys = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        q ->
            q.tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(
                    Map.of(":pk", ItemCodec.s(Keys.tenantApiKeysPk(tenantId)))),
        item -> {
          String revoked = ItemCodec.str(item, "revokedAt");
          keys.add(
              new KeyInfo(
                  ItemCodec.requiredStr(item, "keyId"),
                  tenantId,
                  ItemCodec.str(item, "name"),
                  Instant.parse(ItemCodec.str(item, "createdAt")),
                  revoked == null ? null : Instant.parse(revoked)));
        });
    return keys;
  }

  /**
   * The caller a presented key belongs to, if it is a live key. Read uncached: API Gateway already
   * caches the authorizer's answer for {@link #REVOCATION_BOUND}, and a second cache here would add
   * its own time to the bound.
   */
  public Optional<Caller> caller(@Nullable String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank() || presentedKey.length() > 200) {
      return Optional.empty();
    }
    String hash = hash(presentedKey.trim());
    var response =
        dynamo.getItem(r -> r.tableName(table).key(Keys.key(Keys.apiKeyPk(hash), Keys.API_KEY_SK)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Caller(
            ItemCodec.requiredStr(response.item(), "tenantId"),
            ItemCodec.requiredStr(response.item(), "keyId")));
  }

  /**
   * Whether the tenant's key {@code keyId} is live (issued, neither revoked nor purged), trusting a
   * positive answer for {@link #CACHE_TTL} like {@link #caller}: what a panel token it minted
   * checks on every use, so the token dies with its key within {@link #REVOCATION_BOUND}.
   */
  public boolean live(String tenantId, String keyId) {
    String entry = tenantId + "/" + keyId;
    Instant now = clock.instant();
    Instant until = liveUntil.get(entry);
    if (until != null && now.isBefore(until)) {
      return true;
    }
    if (!liveNow(tenantId, keyId)) {
      liveUntil.remove(entry);
      return false;
    }
    liveUntil.put(entry, now.plus(CACHE_TTL));
    return true;
  }

  /** {@link #live} read consistently and uncached: for minting, which must not outlive a purge. */
  public boolean liveNow(String tenantId, String keyId) {
    var item =
        dynamo
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(
                            Keys.key(
                                Keys.tenantApiKeysPk(tenantId),
                                Keys.API_KEY_ENTRY_SK_PREFIX + keyId)))
            .item();
    return item != null && !item.isEmpty() && !item.containsKey("revokedAt");
  }

  static String hash(String key) {
    return Sha256.hex(key);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    // The key id is hex so it reads as one token in logs; the secret is base64url.
    return bytes < 16
        ? HexFormat.of().formatHex(b)
        : Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
