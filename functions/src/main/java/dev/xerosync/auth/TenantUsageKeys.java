package dev.xerosync.auth;

import dev.xerosync.common.ApiGatewayManagement;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Sha256;
import org.jspecify.annotations.Nullable;

/**
 * Each tenant's own API Gateway API key in the clients' usage plan, so that the plan's throttle and
 * quota, which API Gateway applies per API key, apply per tenant: one tenant's flood is answered
 * 429 while the others are served (docs/security.md). Clients never see these keys: the authorizer
 * returns the tenant's key value as the usage identifier ({@code ApiKeySourceType: AUTHORIZER}).
 *
 * <p>The key's name is {@code <prefix><tenantId>} (the prefix carries the stack's name) and its
 * value the SHA-256 hex of that name: 64 alphanumeric characters, which the authorizer derives from
 * the tenant with no lookup. It is no secret: API Gateway never takes it from a request.
 */
public final class TenantUsageKeys {
  private static final Log LOG = Log.of(TenantUsageKeys.class);

  private final String prefix;
  private final ApiGatewayManagement apiGateway;

  /** Null where the function only deletes keys (a purge). */
  private final @Nullable String usagePlanId;

  public TenantUsageKeys(
      String prefix, ApiGatewayManagement apiGateway, @Nullable String usagePlanId) {
    this.prefix = prefix;
    this.apiGateway = apiGateway;
    this.usagePlanId = usagePlanId;
  }

  /** From TENANT_USAGE_KEY_PREFIX and, where keys are issued, USAGE_PLAN_ID (template.yaml). */
  public static TenantUsageKeys of(Environment env) {
    return new TenantUsageKeys(
        env.required("TENANT_USAGE_KEY_PREFIX"),
        AwsClients.apiGateway(env),
        env.optional("USAGE_PLAN_ID").orElse(null));
  }

  /** The usage identifier the authorizer returns for a tenant's credentials. */
  public static String value(String prefix, String tenantId) {
    return Sha256.hex(prefix + tenantId);
  }

  /**
   * The tenant's key exists, is enabled and is in the plan: called before a tenant's API key is
   * issued, so a key is never handed out that API Gateway would refuse (403). Safe to repeat.
   */
  public void ensure(String tenantId) {
    if (usagePlanId == null) {
      throw new IllegalStateException("USAGE_PLAN_ID is not set: this function issues no keys");
    }
    String planId = usagePlanId;
    String name = prefix + tenantId;
    ApiGatewayManagement.ApiKey key =
        apiGateway.findApiKey(name).orElseGet(() -> create(name, tenantId));
    try {
      apiGateway.addToUsagePlan(planId, key.id());
      LOG.info("tenant usage key added to the plan", "tenantId", tenantId, "apiKeyId", key.id());
    } catch (ApiGatewayManagement.Failure e) {
      // ConflictException: it is in the plan already (a key issued before).
      if (e.status() != 409) {
        throw e;
      }
    }
  }

  /** Deletes the tenant's key (a purge): its usage identifier then passes no usage plan. */
  public void remove(String tenantId) {
    apiGateway
        .findApiKey(prefix + tenantId)
        .ifPresent(
            key -> {
              apiGateway.deleteApiKey(key.id());
              LOG.info("tenant usage key deleted", "tenantId", tenantId, "apiKeyId", key.id());
            });
  }

  private ApiGatewayManagement.ApiKey create(String name, String tenantId) {
    try {
      return apiGateway.createApiKey(name, value(prefix, tenantId));
    } catch (ApiGatewayManagement.Failure e) {
      // Another issue for the same tenant created it a moment ago.
      if (e.status() == 409) {
        return apiGateway.findApiKey(name).orElseThrow(() -> e);
      }
      throw e;
    }
  }
}
