package dev.xerosync.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The right to refresh one connection's tokens, held by one caller across every container: an item
 * {@code T#tenant / REFRESH_LEASE} written with a conditional put that succeeds only when no
 * unexpired lease exists. Xero rotates the refresh token on every use, so two concurrent refreshes
 * would race to store different tokens; the lease makes the second caller wait and reread instead.
 *
 * <p>A holder that dies keeps the lease only until {@code leaseUntil}; the {@code expiresAt} TTL
 * then clears the item (TTL is lazy, so the condition, not the TTL, is what frees an expired
 * lease).
 */
public final class RefreshLease {
  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public RefreshLease(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** True if {@code owner} now holds the lease for {@code ttl}; false if someone else holds it. */
  public boolean tryAcquire(String tenantId, String owner, Duration ttl) {
    long now = clock.millis();
    long until = now + ttl.toMillis();
    try {
      dynamo.putItem(
          r ->
              r.tableName(table)
                  .item(
                      TenantItems.stamp(
                          tenantId,
                          Keys.item(
                              Keys.tenantPk(tenantId),
                              Keys.REFRESH_LEASE_SK,
                              Map.of(
                                  "owner",
                                  AttributeValue.fromS(owner),
                                  "leaseUntil",
                                  AttributeValue.fromN(Long.toString(until)),
                                  "expiresAt",
                                  AttributeValue.fromN(Long.toString(until / 1000 + 3600))))))
                  .conditionExpression(
                      "attribute_not_exists(pk) OR leaseUntil < :now OR #owner = :owner")
                  .expressionAttributeNames(Map.of("#owner", "owner"))
                  .expressionAttributeValues(
                      Map.of(
                          ":now", AttributeValue.fromN(Long.toString(now)),
                          ":owner", AttributeValue.fromS(owner))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * Gives the lease up, unless it has already passed to someone else (then it is theirs to
   * release).
   */
  public void release(String tenantId, String owner) {
    try {
      dynamo.deleteItem(
          r ->
              r.tableName(table)
                  .key(Keys.key(Keys.tenantPk(tenantId), Keys.REFRESH_LEASE_SK))
                  .conditionExpression("#owner = :owner")
                  .expressionAttributeNames(Map.of("#owner", "owner"))
                  .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
    } catch (ConditionalCheckFailedException e) {
      // Expired and taken over: nothing of ours to release.
    }
  }
}
