package dev.xerosync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.PanelGrants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The API's gate (docs/security.md). Three authorizers of template.yaml share it:
 *
 * <ul>
 *   <li>{@code TenantKey} on {@code /tenants/...}: a tenant's {@code xsk_} key in {@code
 *       x-api-key}, its identity source; API Gateway caches the result per key value, and the
 *       policy covers every tenant route, so the functions read the key's tenant from the context
 *       ({@link TenantCredential}) and check it is the one in the path;
 *   <li>{@code PanelOrTenantKey} on the routes the embedded components call: the same key, or a
 *       panel token ({@code Authorization: Bearer xsp_…}) or settings token ({@code xst_…}) when no
 *       {@code x-api-key} comes. API Gateway keys a cache only by sources that are all present, so
 *       alternatives are not cached;
 *   <li>{@code AdminCredential} on {@code /saas-tenants/...}: {@code x-admin-key}, or an admin
 *       token as a bearer token or {@code ?admin_token=} on a browser link; alternatives again, so
 *       not cached; it is an HMAC check with no I/O.
 * </ul>
 *
 * Every allow carries a usage-plan key as {@code usageIdentifierKey} ({@code ApiKeySourceType:
 * AUTHORIZER}), so the usage plan throttles.
 */
public final class RequestAuthorizer {
  /** Which credentials a route takes, from its resource path. */
  public enum Scheme {
    TENANT_KEY,
    ADMIN,
    NONE
  }

  /**
   * Allow: principal, context for the function, and the resource pattern (under the stage ARN) the
   * allow covers. A refusal is {@link Unauthorized} (401) or a deny (403).
   */
  public record Decision(
      boolean allow,
      String principalId,
      Map<String, Object> context,
      String resourcePattern,
      @Nullable String reason) {}

  /** No credential, or one that is not valid: API Gateway answers 401 "Unauthorized". */
  public static final class Unauthorized extends RuntimeException {
    public Unauthorized() {
      // API Gateway maps exactly this message to 401; any other is a 500.
      super("Unauthorized");
    }
  }

  private final ApiKeys apiKeys;
  private final AdminAuth admins;
  private final PanelTokens panelTokens;
  private final PanelTokens settingsTokens;

  public RequestAuthorizer(
      ApiKeys apiKeys, AdminAuth admins, PanelTokens panelTokens, PanelTokens settingsTokens) {
    this.apiKeys = apiKeys;
    this.admins = admins;
    this.panelTokens = panelTokens;
    this.settingsTokens = settingsTokens;
  }

  public static Scheme schemeOf(String resourcePath) {
    if (resourcePath == null) {
      return Scheme.NONE;
    }
    if (resourcePath.startsWith("/tenants/")) {
      return Scheme.TENANT_KEY;
    }
    if (resourcePath.startsWith("/saas-tenants/")) {
      return Scheme.ADMIN;
    }
    return Scheme.NONE;
  }

  public Decision decide(
      String resourcePath,
      Map<String, String> headers,
      @Nullable Map<String, String> query,
      @Nullable Map<String, String> pathParameters) {
    return switch (schemeOf(resourcePath)) {
      case TENANT_KEY -> {
        String key = Requests.header(headers, "x-api-key");
        String bearer = Requests.bearer(Requests.header(headers, "authorization"));
        if (key == null && bearer != null && PanelTokens.isPanelToken(bearer)) {
          yield panel(bearer);
        }
        yield key == null && bearer != null && PanelTokens.isSettingsToken(bearer)
            ? settings(bearer)
            : tenantKey(key);
      }
      case ADMIN -> admin(headers, query, pathParameters);
      case NONE ->
          new Decision(false, "nobody", Map.of(), resourcePath, "no authorizer serves this route");
    };
  }

  private Decision tenantKey(@Nullable String key) {
    Optional<ApiKeys.Caller> caller = apiKeys.caller(key);
    if (caller.isEmpty()) {
      throw new Unauthorized();
    }
    Map<String, Object> context =
        TenantCredential.apiKey(caller.get().tenantId(), caller.get().keyId()).context();
    // Every tenant route, not just this one: the cached result answers the key's next requests.
    return new Decision(true, "key:" + caller.get().keyId(), context, "/*/tenants/*", null);
  }

  /**
   * A panel token from a browser: allowed into its own tenant's routes only; the function then
   * holds it to its one record and the routes a panel may call ({@link PanelTokens#allows}).
   */
  private Decision panel(String token) {
    PanelGrants.Grant grant;
    try {
      grant = panelTokens.check(token);
    } catch (Problem denied) {
      throw new Unauthorized();
    }
    Map<String, Object> context = TenantCredential.panelToken(grant.tenantId()).context();
    return new Decision(
        true,
        "panel:" + grant.recordType(),
        context,
        "/*/tenants/" + grant.tenantId() + "/*",
        null);
  }

  /**
   * A settings token from the host's settings page: allowed into its own tenant's routes only; the
   * function then holds it to the settings routes ({@link PanelTokens#allowsSettings}).
   */
  private Decision settings(String token) {
    PanelGrants.Grant grant;
    try {
      grant = settingsTokens.check(token);
    } catch (Problem denied) {
      throw new Unauthorized();
    }
    Map<String, Object> context = TenantCredential.settingsToken(grant.tenantId()).context();
    return new Decision(
        true,
        "settings:" + grant.tenantId(),
        context,
        "/*/tenants/" + grant.tenantId() + "/*",
        null);
  }

  private Decision admin(
      Map<String, String> headers,
      @Nullable Map<String, String> query,
      @Nullable Map<String, String> pathParameters) {
    String saasTenantId = pathParameters == null ? null : pathParameters.get("saasTenantId");
    var request =
        new APIGatewayProxyRequestEvent()
            .withHeaders(headers)
            .withQueryStringParameters(query)
            .withPathParameters(pathParameters);
    AdminAuth.Admin admin;
    try {
      admin = admins.authenticate(request, saasTenantId);
    } catch (Problem denied) {
      if (denied.status() == 401) {
        throw new Unauthorized();
      }
      return new Decision(
          false, "admin", Map.of(), "/*/saas-tenants/" + saasTenantId + "/*", denied.getMessage());
    }
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("credential", admin.via());
    if (admin.saasTenantId() != null) {
      context.put("saasTenantId", admin.saasTenantId());
    }
    String scope = admin.saasTenantId() == null ? "*" : admin.saasTenantId();
    return new Decision(
        true, "admin:" + admin.who(), context, "/*/saas-tenants/" + scope + "/*", null);
  }
}
