package dev.xerosync.common;

import java.net.URI;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds each AWS client once per container with the URLConnection HTTP client (fewer classes,
 * faster cold start). Endpoints follow the SDK's standard AWS_ENDPOINT_URL_* names so local
 * services plug in.
 */
public final class AwsClients {
  private AwsClients() {}

  public static DynamoDbClient dynamoDb(Environment env) {
    return configure(DynamoDbClient.builder(), env, "AWS_ENDPOINT_URL_DYNAMODB").build();
  }

  public static SqsClient sqs(Environment env) {
    return configure(SqsClient.builder(), env, "AWS_ENDPOINT_URL_SQS").build();
  }

  public static SecretsManagerClient secretsManager(Environment env) {
    return configure(SecretsManagerClient.builder(), env, "AWS_ENDPOINT_URL_SECRETS_MANAGER")
        .build();
  }

  /** API Gateway's management API (the calls the SDK's client would make; see its class). */
  public static ApiGatewayManagement apiGateway(Environment env) {
    String region = env.get("AWS_REGION", "us-east-1");
    URI endpoint =
        URI.create(
            env.optional("AWS_ENDPOINT_URL_API_GATEWAY")
                .or(() -> env.optional("AWS_ENDPOINT_URL"))
                .orElse("https://apigateway." + region + ".amazonaws.com"));
    return new ApiGatewayManagement(
        UrlConnectionHttpClient.create(), endpoint, region, credentials(env));
  }

  /**
   * API Gateway's WebSocket management API at {@code endpoint} ({@code
   * https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}), or where the SDK's standard
   * AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI points (the local host's, stage included).
   */
  public static ApiGatewayConnections apiGatewayConnections(Environment env, String endpoint) {
    return new ApiGatewayConnections(
        UrlConnectionHttpClient.create(),
        URI.create(env.optional("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI").orElse(endpoint)),
        env.get("AWS_REGION", "us-east-1"),
        credentials(env));
  }

  private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, Environment env, String endpointVariable) {
    builder
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.of(env.get("AWS_REGION", "us-east-1")))
        .credentialsProvider(credentials(env));
    env.optional(endpointVariable)
        .or(() -> env.optional("AWS_ENDPOINT_URL"))
        .ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
    return builder;
  }

  private static AwsCredentialsProvider credentials(Environment env) {
    // In Lambda (SnapStart included) the runtime supplies credentials; only a local environment
    // pins them.
    if (!env.isProcess() && env.optional("AWS_ACCESS_KEY_ID").isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              env.required("AWS_ACCESS_KEY_ID"), env.required("AWS_SECRET_ACCESS_KEY")));
    }
    return new RestoredCredentials();
  }

  /**
   * The runtime's credentials (under SnapStart, from the container credentials endpoint), resolved
   * afresh in every restored copy: whatever a priming request resolved before the snapshot is
   * dropped at checkpoint, so no snapshot carries credentials. org.crac notifies resources in
   * reverse order of registration, so the handlers' priming, registered after their clients, runs
   * first.
   */
  static final class RestoredCredentials implements AwsCredentialsProvider, Resource {
    private volatile @Nullable DefaultCredentialsProvider delegate;

    RestoredCredentials() {
      Core.getGlobalContext()
          .register(this); // the clients hold this provider, so it stays registered
    }

    @Override
    public AwsCredentials resolveCredentials() {
      DefaultCredentialsProvider d = delegate;
      if (d == null) {
        synchronized (this) {
          d = delegate;
          if (d == null) {
            d = delegate = DefaultCredentialsProvider.builder().build();
          }
        }
      }
      return d.resolveCredentials();
    }

    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
      forget();
    }

    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
      forget();
    }

    private void forget() {
      if (delegate != null) {
        delegate.close();
        delegate = null;
      }
    }
  }
}
