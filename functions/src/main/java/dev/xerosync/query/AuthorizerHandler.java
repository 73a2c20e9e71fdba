package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.xerosync.auth.RequestAuthorizer;
import dev.xerosync.auth.TenantUsageKeys;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's Lambda REQUEST authorizer (an entry point; the decision is {@code auth}'s): turns
 * {@link RequestAuthorizer}'s decision into the IAM policy API Gateway caches, with the usage-plan
 * key that lets the usage plan throttle: the tenant's own key for a tenant key or panel token
 * ({@link TenantUsageKeys}), so each tenant is throttled apart; the clients' shared key for admins.
 */
public final class AuthorizerHandler
    implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
  private static final Log LOG = Log.of(AuthorizerHandler.class);

  private final RequestAuthorizer authorizer;
  private final String adminUsageKey;
  private final String tenantUsageKeyPrefix;

  public AuthorizerHandler() {
    this(Environment.process());
    Priming.register(AuthorizerHandler.class, this::prime);
  }

  public AuthorizerHandler(Environment env) {
    this(
        QueryWiring.authorizer(env),
        env.required("USAGE_IDENTIFIER_KEY"),
        env.required("TENANT_USAGE_KEY_PREFIX"));
  }

  public AuthorizerHandler(
      RequestAuthorizer authorizer, String adminUsageKey, String tenantUsageKeyPrefix) {
    this.authorizer = authorizer;
    this.adminUsageKey = adminUsageKey;
    this.tenantUsageKeyPrefix = tenantUsageKeyPrefix;
  }

  /** A key that cannot exist: the lookup path and the DynamoDB client, no tenant's data. */
  public void prime() {
    try {
      authorizer.decide(
          "/tenants/{tenantId}", Map.of("x-api-key", "xsk_priming_never_a_real_key"), null, null);
    } catch (RequestAuthorizer.Unauthorized expected) {
      // The whole path ran.
    }
  }

  @Override
  public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
    RequestAuthorizer.Decision d;
    try {
      d =
          authorizer.decide(
              event.getResource(),
              event.getHeaders(),
              event.getQueryStringParameters(),
              event.getPathParameters());
    } catch (RequestAuthorizer.Unauthorized e) {
      LOG.warn("request refused: no valid credential", "resource", event.getResource());
      throw e;
    }
    String stageArn = stageArn(event.getMethodArn());
    if (!d.allow()) {
      LOG.warn("request denied", "resource", event.getResource(), "reason", d.reason());
    }
    return IamPolicyResponseV1.builder()
        .withPrincipalId(d.principalId())
        .withPolicyDocument(
            IamPolicyResponseV1.PolicyDocument.builder()
                .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                .withStatement(
                    List.of(
                        d.allow()
                            ? IamPolicyResponseV1.allowStatement(stageArn + d.resourcePattern())
                            : IamPolicyResponseV1.denyStatement(stageArn + d.resourcePattern())))
                .build())
        .withContext(d.context())
        .withUsageIdentifierKey(d.allow() ? usageKey(d) : null)
        .build();
  }

  /** The tenant's own usage-plan key when the credential is a tenant's; the admins' else. */
  private String usageKey(RequestAuthorizer.Decision d) {
    Object tenantId = d.context().get("tenantId");
    return tenantId == null
        ? adminUsageKey
        : TenantUsageKeys.value(tenantUsageKeyPrefix, tenantId.toString());
  }

  /** {@code arn:aws:execute-api:region:account:apiId/stage} of a method ARN. */
  static String stageArn(String methodArn) {
    if (methodArn == null) {
      return "*";
    }
    String[] parts = methodArn.split("/", 3);
    return parts.length < 2 ? methodArn : parts[0] + "/" + parts[1];
  }
}
