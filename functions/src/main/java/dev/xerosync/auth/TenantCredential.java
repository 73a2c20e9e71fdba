package dev.xerosync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.xerosync.common.Log;
import dev.xerosync.common.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The credential the {@code TenantKey} authorizer accepted, as API Gateway hands its context to the
 * function ({@code requestContext.authorizer}): a tenant's API key, a panel token or a settings
 * token, and the tenant it was issued for. The authorizer looked the credential up once; handlers
 * read this rather than the headers again. Its policy covers every tenant route, so a handler still
 * holds the tenant in the path to the credential's ({@link #apiKeyFor}).
 */
public record TenantCredential(String credential, String tenantId, @Nullable String keyId) {
  private static final Log LOG = Log.of(TenantCredential.class);
  public static final String API_KEY = "tenant-key";
  public static final String PANEL_TOKEN = "panel-token";
  public static final String SETTINGS_TOKEN = "settings-token";

  public static TenantCredential apiKey(String tenantId, @Nullable String keyId) {
    return new TenantCredential(API_KEY, tenantId, keyId);
  }

  public static TenantCredential panelToken(String tenantId) {
    return new TenantCredential(PANEL_TOKEN, tenantId, null);
  }

  public static TenantCredential settingsToken(String tenantId) {
    return new TenantCredential(SETTINGS_TOKEN, tenantId, null);
  }

  /** The authorizer's context: string values only, as API Gateway passes them on. */
  public Map<String, Object> context() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("credential", credential);
    context.put("tenantId", tenantId);
    if (keyId != null) {
      context.put("keyId", keyId);
    }
    return context;
  }

  /** A request context carrying this credential, as API Gateway builds it (priming, tests). */
  public APIGatewayProxyRequestEvent.ProxyRequestContext requestContext() {
    var requestContext = new APIGatewayProxyRequestEvent.ProxyRequestContext();
    requestContext.setAuthorizer(context());
    return requestContext;
  }

  /**
   * The credential of a request the authorizer let through; 401 when there is none (a route whose
   * authorizer is not {@code TenantKey}, or a call that bypassed API Gateway).
   */
  public static TenantCredential of(APIGatewayProxyRequestEvent event) throws Problem {
    var requestContext = event.getRequestContext();
    Map<String, Object> context = requestContext == null ? null : requestContext.getAuthorizer();
    String credential = text(context, "credential");
    String tenantId = text(context, "tenantId");
    if (tenantId == null
        || credential == null
        || !(API_KEY.equals(credential)
            || PANEL_TOKEN.equals(credential)
            || SETTINGS_TOKEN.equals(credential))) {
      throw apiKeyRequired();
    }
    return new TenantCredential(credential, tenantId, text(context, "keyId"));
  }

  public boolean isPanelToken() {
    return PANEL_TOKEN.equals(credential);
  }

  public boolean isSettingsToken() {
    return SETTINGS_TOKEN.equals(credential);
  }

  /**
   * The tenant in the path, when this is an API key issued for exactly that tenant: 401 for a panel
   * or settings token (these routes are for the tenant's backend), 403 for another tenant's key.
   */
  public String apiKeyFor(String pathTenantId) throws Problem {
    if (!API_KEY.equals(credential)) {
      throw apiKeyRequired();
    }
    if (!tenantId.equals(pathTenantId)) {
      LOG.warn("API key used for another tenant", "keyId", keyId, "pathTenantId", pathTenantId);
      throw new Problem(
          403,
          "Not your tenant",
          "This API key is scoped to one tenant, and it is not "
              + pathTenantId
              + ". Use the tenant id the key was issued for.");
    }
    return pathTenantId;
  }

  private static Problem apiKeyRequired() {
    return new Problem(
        401,
        "API key required",
        "Send your API key in the x-api-key header; an admin issues keys per tenant.");
  }

  private static @Nullable String text(@Nullable Map<String, Object> context, String name) {
    Object v = context == null ? null : context.get(name);
    return v == null ? null : v.toString();
  }
}
