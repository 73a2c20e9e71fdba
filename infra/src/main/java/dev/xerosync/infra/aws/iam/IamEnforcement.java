package dev.xerosync.infra.aws.iam;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * IAM for the local stand-ins: every signed request whose access key belongs to a registered
 * principal (a function's role, see {@link #register}) is authorised against that principal's
 * {@link EffectivePermissions} before it leaves the client, and a refused one fails as AWS fails
 * it: the service's exception with error code AccessDeniedException and status 400. Requests signed
 * with any other key (the stack's own set-up and the tests' inspection) pass unchecked.
 *
 * <p>The SDK loads this interceptor into every client from
 * software/amazon/awssdk/global/handlers/execution.interceptors, so the functions' own clients are
 * checked without any change to them. It runs after signing (beforeTransmission), where the
 * Authorization header names the access key.
 */
public final class IamEnforcement implements ExecutionInterceptor {
  /** A role's credentials as a function receives them in its environment. */
  public record Credentials(String accessKeyId, String secretAccessKey) {}

  private record Principal(EffectivePermissions permissions, RequestedActions actions) {}

  private static final Map<String, Principal> PRINCIPALS = new ConcurrentHashMap<>();
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /**
   * New credentials for a role session: requests signed with them are held to {@code permissions}.
   * Call {@link #unregister} when the stack that owns them stops.
   */
  public static Credentials register(EffectivePermissions permissions, RequestedActions actions) {
    StringBuilder key = new StringBuilder("ASIA");
    for (int i = 0; i < 16; i++) {
      key.append(KEY_CHARS.charAt(RANDOM.nextInt(KEY_CHARS.length())));
    }
    byte[] secret = new byte[30];
    RANDOM.nextBytes(secret);
    Credentials credentials =
        new Credentials(key.toString(), java.util.Base64.getEncoder().encodeToString(secret));
    PRINCIPALS.put(credentials.accessKeyId(), new Principal(permissions, actions));
    return credentials;
  }

  /**
   * For a stand-in that serves a signed request itself (API Gateway's management API): why IAM
   * refuses {@code action} on {@code arn} to the principal of {@code accessKeyId}; empty when it is
   * allowed, or the key is no registered principal's.
   */
  public static java.util.Optional<String> denial(String accessKeyId, String action, String arn) {
    Principal principal = PRINCIPALS.get(accessKeyId);
    return principal == null
        ? java.util.Optional.empty()
        : principal.permissions().denial(action, arn);
  }

  public static void unregister(Credentials credentials) {
    PRINCIPALS.remove(credentials.accessKeyId());
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String authorization = context.httpRequest().firstMatchingHeader("Authorization").orElse("");
    Matcher m = CREDENTIAL.matcher(authorization);
    Principal principal = m.find() ? PRINCIPALS.get(m.group(1)) : null;
    if (principal == null) {
      return;
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    for (var check : principal.actions().of(context.request(), operation)) {
      var denial = principal.permissions().denial(check.action(), check.arn());
      if (denial.isPresent()) {
        throw accessDenied(context.request(), denial.get());
      }
    }
  }

  private static AwsServiceException accessDenied(Object request, String message) {
    var details =
        AwsErrorDetails.builder()
            .errorCode("AccessDeniedException")
            .errorMessage(message)
            .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build());
    AwsServiceException.Builder builder =
        switch (request) {
          case DynamoDbRequest d ->
              DynamoDbException.builder().awsErrorDetails(details.serviceName("DynamoDb").build());
          case SqsRequest s ->
              SqsException.builder().awsErrorDetails(details.serviceName("Sqs").build());
          case SecretsManagerRequest s ->
              SecretsManagerException.builder()
                  .awsErrorDetails(details.serviceName("SecretsManager").build());
          default -> AwsServiceException.builder().awsErrorDetails(details.build());
        };
    return builder.statusCode(400).message(message).build();
  }
}
