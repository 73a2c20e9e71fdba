package dev.xerosync.store;

import dev.xerosync.common.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What a panel token grants, stored under the token's SHA-256 hash (never the token), and the
 * browser origins a tenant lets embed its panel.
 *
 * <p>{@code pk = PANELTOKEN#{hash}}: one tenant, one record, an expiry; DynamoDB's TTL ({@code
 * expiresAt}, epoch seconds) removes it after expiry, and readers check the expiry themselves
 * because TTL deletion lags. {@code pk = T#{tenant}, sk = PANELORIGINS}: the allowed origins, kept
 * with the tenant's other items so a purge removes them.
 */
public final class PanelGrants {

  /**
   * One token's grant: reads and pins of one record of one tenant until {@code expiresAt}, for as
   * long as the API key {@code keyId} that minted it is live (null: a grant from before keys were
   * recorded, which no longer passes).
   */
  public record Grant(
      String tenantId,
      String recordType,
      String recordId,
      String audience,
      Instant expiresAt,
      @Nullable String keyId) {}

  /**
   * Each round of racing writers lets at least one land, so n writers at once need at most n
   * attempts; a tenant has at most 10 origins and a few admins.
   */
  private static final int MAX_ATTEMPTS = 20;

  private final DynamoDbClient dynamo;
  private final String table;

  public PanelGrants(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public void put(String tokenHash, Grant grant) {
    dynamo.putItem(
        r ->
            r.tableName(table)
                .item(
                    TenantItems.stamp(
                        grant.tenantId(),
                        Keys.item(
                            Keys.panelTokenPk(tokenHash),
                            Keys.PANEL_TOKEN_SK,
                            Map.of(
                                "tenantId",
                                ItemCodec.s(grant.tenantId()),
                                "recordType",
                                ItemCodec.s(grant.recordType()),
                                "recordId",
                                ItemCodec.s(grant.recordId()),
                                "aud",
                                ItemCodec.s(grant.audience()),
                                "keyId",
                                ItemCodec.s(Objects.requireNonNull(grant.keyId())),
                                "expiresAt",
                                AttributeValue.fromN(
                                    Long.toString(grant.expiresAt().getEpochSecond()))))))
                .conditionExpression("attribute_not_exists(pk)"));
  }

  /** The grant stored for a token hash; consistent, so a token works the moment it is minted. */
  public Optional<Grant> get(String tokenHash) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .consistentRead(true)
                    .key(Keys.key(Keys.panelTokenPk(tokenHash), Keys.PANEL_TOKEN_SK)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    var item = response.item();
    return Optional.of(
        new Grant(
            ItemCodec.requiredStr(item, "tenantId"),
            ItemCodec.requiredStr(item, "recordType"),
            ItemCodec.requiredStr(item, "recordId"),
            ItemCodec.requiredStr(item, "aud"),
            Instant.ofEpochSecond(Long.parseLong(ItemCodec.attr(item, "expiresAt").n())),
            ItemCodec.str(item, "keyId")));
  }

  /** Replaces the tenant's origins with {@code origins}. */
  public void setOrigins(String tenantId, List<String> origins, Instant now) throws Problem {
    changeOrigins(tenantId, stored -> origins, now);
  }

  /** A change to a tenant's origins: the list now stored in, the list to store out. */
  @FunctionalInterface
  public interface OriginsChange<E extends Exception> {
    List<String> apply(List<String> stored) throws E;
  }

  /**
   * Applies {@code change} to the stored origins and returns the list now stored. The write is
   * conditional on the list read, so two changes at once (adding one origin each) both land: the
   * loser reads again and applies its change to the winner's list. Like every write of a tenant's
   * data it is fenced ({@link TenantFence}): a disconnected or purged tenant gets 409 and nothing
   * is written, so a purge cannot be followed by an origins item nothing would remove.
   */
  public <E extends Exception> List<String> changeOrigins(
      String tenantId, OriginsChange<E> change, Instant now) throws E, Problem {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .consistentRead(true)
                      .key(Keys.key(Keys.organisationPk(tenantId), Keys.PANEL_ORIGINS_SK)));
      AttributeValue old = response.hasItem() ? response.item().get("origins") : null;
      List<String> stored =
          old == null ? List.of() : old.l().stream().map(AttributeValue::s).toList();
      List<String> next = List.copyOf(change.apply(stored));
      if (next.equals(stored) && old != null) {
        return stored;
      }
      boolean written;
      try {
        written =
            TenantFence.put(
                dynamo,
                table,
                tenantId,
                r -> {
                  r.tableName(table).item(originsItem(tenantId, next, now));
                  if (old == null) {
                    r.conditionExpression("attribute_not_exists(origins)");
                  } else {
                    r.conditionExpression("origins = :old")
                        .expressionAttributeValues(Map.of(":old", old));
                  }
                });
      } catch (ConditionalCheckFailedException e) {
        // Another change landed since we read: apply ours to its list.
        continue;
      }
      if (written) {
        return next;
      }
      throw TenantFence.disconnected();
    }
    throw new IllegalStateException(
        "the panel origins of " + tenantId + " kept changing under " + MAX_ATTEMPTS + " attempts");
  }

  private static Map<String, AttributeValue> originsItem(
      String tenantId, List<String> origins, Instant now) {
    return TenantItems.stamp(
        tenantId,
        Keys.item(
            Keys.organisationPk(tenantId),
            Keys.PANEL_ORIGINS_SK,
            Map.of(
                "tenantId",
                ItemCodec.s(tenantId),
                "origins",
                AttributeValue.fromL(origins.stream().map(ItemCodec::s).toList()),
                "updatedAt",
                ItemCodec.s(now.toString()))));
  }

  public List<String> origins(String tenantId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.organisationPk(tenantId), Keys.PANEL_ORIGINS_SK)));
    if (!response.hasItem() || !response.item().containsKey("origins")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    ItemCodec.attr(response.item(), "origins").l().forEach(v -> out.add(v.s()));
    return out;
  }
}
