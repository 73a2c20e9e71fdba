package dev.xerosync.infra.aws;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB, SQS and Secrets Manager on loopback ports, with the template's tables and queues
 * created, and SDK clients aimed at them. The three services start in parallel. API Gateway's
 * management API (API keys and usage plans, {@link ApiGatewayStandIn}) runs beside them.
 */
public final class LocalAws implements AutoCloseable {

  private static final Region REGION = Region.US_EAST_1;
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private final DynamoDbStandIn dynamoDbServer;
  private final EmbeddedSqs sqsServer;
  private final SecretsManagerStandIn secretsManagerServer;
  private final DynamoDbClient dynamoDb;
  private final SqsClient sqs;
  private final SecretsManagerClient secretsManager;
  private final LocalResources resources;
  private final URI external;
  private final ApiGatewayStandIn apiGateway = ApiGatewayStandIn.start(REGION.id());

  private LocalAws(
      DynamoDbStandIn dynamoDbServer,
      EmbeddedSqs sqsServer,
      SecretsManagerStandIn secretsManagerServer,
      URI external,
      DynamoDbClient dynamoDb,
      SqsClient sqs,
      SecretsManagerClient secretsManager,
      LocalResources resources) {
    this.dynamoDbServer = dynamoDbServer;
    this.sqsServer = sqsServer;
    this.secretsManagerServer = secretsManagerServer;
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.secretsManager = secretsManager;
    this.resources = resources;
    this.external = external;
  }

  /** With the resources of the repository's template.yaml, read from the classpath. */
  public static LocalAws start() {
    return start(CloudFormationTemplate.fromClasspath());
  }

  public static LocalAws start(CloudFormationTemplate template) {
    // Checked first: a template that cannot be applied fails before any service starts.
    var plan = template.plan();
    // Each service starts, gets its client and its resources on its own thread, so DynamoDB's
    // tables are created while ElasticMQ (the slowest to start) is still coming up.
    var started = Collections.synchronizedList(new ArrayList<AutoCloseable>());
    Future<DynamoDbSide> dynamoDbStart;
    Future<SqsSide> sqsStart;
    Future<SecretsManagerSide> secretsManagerStart;
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      dynamoDbStart =
          executor.submit(
              () -> {
                var server = track(started, DynamoDbStandIn.start());
                var client = track(started, client(DynamoDbClient.builder(), server.endpoint()));
                return new DynamoDbSide(server, client, plan.createTables(client));
              });
      sqsStart =
          executor.submit(
              () -> {
                var server = track(started, EmbeddedSqs.start());
                var client = track(started, client(SqsClient.builder(), server.endpoint()));
                return new SqsSide(server, client, plan.createQueues(client));
              });
      secretsManagerStart =
          executor.submit(
              () -> {
                var server = track(started, SecretsManagerStandIn.start());
                var client =
                    track(started, client(SecretsManagerClient.builder(), server.endpoint()));
                return new SecretsManagerSide(server, client);
              });
    }
    // The executor has waited for all three, so nothing is still starting when cleaning up.
    var failure = firstFailure(List.of(dynamoDbStart, sqsStart, secretsManagerStart));
    if (failure != null) {
      closeAll(List.copyOf(started).reversed(), failure);
      throw failure;
    }
    var dynamoDb = dynamoDbStart.resultNow();
    var sqs = sqsStart.resultNow();
    var secretsManager = secretsManagerStart.resultNow();
    return new LocalAws(
        dynamoDb.server(),
        sqs.server(),
        secretsManager.server(),
        null,
        dynamoDb.client(),
        sqs.client(),
        secretsManager.client(),
        new LocalResources(dynamoDb.tableNames(), sqs.queues().urls(), sqs.queues().arns()));
  }

  /**
   * Clients aimed at an emulator that already runs elsewhere (LocalStack, Floci: one endpoint for
   * every service), with the template's tables and queues created in it. Nothing is started, so
   * close() only closes the clients.
   */
  public static LocalAws attach(URI endpoint, CloudFormationTemplate template) {
    var plan = template.plan();
    var dynamoDb = client(DynamoDbClient.builder(), endpoint);
    var sqs = client(SqsClient.builder(), endpoint);
    var secretsManager = client(SecretsManagerClient.builder(), endpoint);
    var tables = plan.createTables(dynamoDb);
    var queues = plan.createQueues(sqs);
    return new LocalAws(
        null,
        null,
        null,
        endpoint,
        dynamoDb,
        sqs,
        secretsManager,
        new LocalResources(tables, queues.urls(), queues.arns()));
  }

  private record DynamoDbSide(
      DynamoDbStandIn server, DynamoDbClient client, Map<String, String> tableNames) {}

  private record SqsSide(
      EmbeddedSqs server, SqsClient client, TemplateQueues.CreatedQueues queues) {}

  private record SecretsManagerSide(SecretsManagerStandIn server, SecretsManagerClient client) {}

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public SecretsManagerClient secretsManager() {
    return secretsManager;
  }

  public URI dynamoDbEndpoint() {
    return external != null ? external : dynamoDbServer.endpoint();
  }

  public URI sqsEndpoint() {
    return external != null ? external : sqsServer.endpoint();
  }

  /** API Gateway's management API: API keys and usage plans (ours, also when attached). */
  public ApiGatewayStandIn apiGateway() {
    return apiGateway;
  }

  public URI secretsManagerEndpoint() {
    return external != null ? external : secretsManagerServer.endpoint();
  }

  public LocalResources resources() {
    return resources;
  }

  /** The region every local service and client uses. */
  public static Region region() {
    return REGION;
  }

  /** Credentials the local services accept (they accept any; these are what the clients send). */
  public static AwsCredentialsProvider credentials() {
    return CREDENTIALS;
  }

  @Override
  public void close() {
    var failure = new IllegalStateException("Local AWS did not stop cleanly");
    var resources = new ArrayList<AutoCloseable>(List.of(secretsManager, sqs, dynamoDb));
    if (external == null) {
      resources.addAll(List.of(secretsManagerServer, sqsServer, dynamoDbServer));
    }
    resources.add(apiGateway);
    closeAll(resources, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private static <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
      B builder, URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** The first start that failed, as an unchecked exception, or null if all succeeded. */
  private static RuntimeException firstFailure(List<Future<?>> starts) {
    for (var start : starts) {
      if (start.state() == Future.State.FAILED) {
        var cause = start.exceptionNow();
        return cause instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException("Local AWS did not start", cause);
      }
      if (start.state() != Future.State.SUCCESS) {
        return new IllegalStateException("Local AWS did not start: " + start.state());
      }
    }
    return null;
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> started, T resource) {
    started.add(resource);
    return resource;
  }

  private static void closeAll(List<? extends AutoCloseable> resources, Exception collector) {
    for (var resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        collector.addSuppressed(e);
      }
    }
  }
}
