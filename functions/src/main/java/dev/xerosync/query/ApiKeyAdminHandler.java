package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.xerosync.auth.TenantUsageKeys;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.store.ApiKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The admin operation for API keys, invoked directly (aws lambda invoke), never through the API:
 * who may issue or revoke keys is then decided by IAM (lambda:InvokeFunction on this function).
 *
 * <pre>
 * {"action":"create","tenantId":"…","name":"hubspot"}  → {"keyId","tenantId","name","createdAt","apiKey"} (the key, shown once)
 * {"action":"revoke","tenantId":"…","keyId":"…"}       → {"revoked": true|false}
 * {"action":"list","tenantId":"…"}                     → {"keys":[{"keyId","name","createdAt","revokedAt"}]}
 * </pre>
 *
 * Creating a key also makes sure the tenant has its own API Gateway key in the usage plan ({@link
 * TenantUsageKeys}), which throttles the tenant apart from the others. Bad input answers {"error":
 * "..."}. The key itself is never logged; logs name the key id.
 */
public final class ApiKeyAdminHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Log LOG = Log.of(ApiKeyAdminHandler.class);
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{18}");

  private final ApiKeys keys;
  private final TenantUsageKeys usageKeys;

  public ApiKeyAdminHandler() {
    this(Environment.process());
    Priming.register(ApiKeyAdminHandler.class, this::prime);
  }

  /** Lists the keys of a tenant that cannot exist: request parsing and one DynamoDB Query. */
  public void prime() {
    handleRequest(
        Map.of("action", "list", "tenantId", "00000000-0000-0000-0000-000000000000"), null);
  }

  public ApiKeyAdminHandler(Environment env) {
    this(QueryWiring.apiKeys(env), TenantUsageKeys.of(env));
  }

  public ApiKeyAdminHandler(ApiKeys keys, TenantUsageKeys usageKeys) {
    this.keys = keys;
    this.usageKeys = usageKeys;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, @Nullable Context context) {
    try {
      String action = text(input, "action");
      String tenantId = ApiRequest.uuid("tenantId", required(input, "tenantId"));
      return switch (action == null ? "" : action) {
        case "create" -> {
          String name = required(input, "name");
          if (name.length() > 100) {
            throw Problem.invalid(
                "name must be at most 100 characters: say who uses the key, such as hubspot-prod");
          }
          // First the tenant's usage-plan key, so no key is issued that API Gateway would refuse.
          usageKeys.ensure(tenantId);
          ApiKeys.IssuedKey key = keys.create(tenantId, name);
          LOG.info("API key created", "tenantId", tenantId, "keyId", key.keyId());
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("keyId", key.keyId());
          out.put("tenantId", key.tenantId());
          out.put("name", key.name());
          out.put("createdAt", key.createdAt().toString());
          out.put("apiKey", key.secret());
          yield out;
        }
        case "revoke" -> {
          String keyId = required(input, "keyId");
          if (!KEY_ID.matcher(keyId).matches()) {
            throw Problem.invalid("keyId must be the 18 hex digits that create or list returned");
          }
          boolean revoked = keys.revoke(tenantId, keyId);
          LOG.info("API key revoke", "tenantId", tenantId, "keyId", keyId, "revoked", revoked);
          yield Map.of("revoked", revoked);
        }
        case "list" -> {
          List<Map<String, Object>> list =
              keys.list(tenantId).stream()
                  .map(
                      k -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("keyId", k.keyId());
                        m.put("name", k.name());
                        m.put("createdAt", k.createdAt().toString());
                        m.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
                        return m;
                      })
                  .toList();
          yield Map.of("keys", list);
        }
        default -> throw Problem.invalid("action must be create, revoke or list");
      };
    } catch (Problem e) {
      return Map.of("error", e.getMessage());
    }
  }

  private static @Nullable String text(Map<String, Object> input, String name) {
    Object v = input == null ? null : input.get(name);
    return v instanceof String s ? s : null;
  }

  private static String required(Map<String, Object> input, String name) throws Problem {
    String v = text(input, name);
    if (v == null || v.isBlank()) {
      throw Problem.invalid(name + " is required, as a string");
    }
    return v.trim();
  }
}
