package dev.xerosync.infra.aws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
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
 * created, and SDK clients aimed at them. The three services start in parallel.
 */
public final class LocalAws implements AutoCloseable {

  private static final Region REGION = Region.US_EAST_1;
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private final EmbeddedDynamoDb dynamoDbServer;
  private final EmbeddedSqs sqsServer;
  private final SecretsManagerStandIn secretsManagerServer;
  private final DynamoDbClient dynamoDb;
  private final SqsClient sqs;
  private final SecretsManagerClient secretsManager;
  private final LocalResources resources;

  private LocalAws(
      EmbeddedDynamoDb dynamoDbServer,
      EmbeddedSqs sqsServer,
      SecretsManagerStandIn secretsManagerServer,
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
  }

  /** With the resources of the repository's template.yaml, read from the classpath. */
  public static LocalAws start() {
    return start(CloudFormationTemplate.fromClasspath());
  }

  public static LocalAws start(CloudFormationTemplate template) {
    var started = new ArrayList<AutoCloseable>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var dynamoDbStart = executor.submit(EmbeddedDynamoDb::start);
      var sqsStart = executor.submit(EmbeddedSqs::start);
      var secretsManagerStart = executor.submit(() -> SecretsManagerStandIn.start());
      // Wait for all three before judging, so none is left running unclosed if another fails.
      var dynamoDbServer = collect(dynamoDbStart, started);
      var sqsServer = collect(sqsStart, started);
      var secretsManagerServer = collect(secretsManagerStart, started);
      if (dynamoDbServer == null || sqsServer == null || secretsManagerServer == null) {
        throw firstFailure(List.of(dynamoDbStart, sqsStart, secretsManagerStart));
      }

      var dynamoDb = track(started, () -> client(DynamoDbClient.builder(), dynamoDbServer.endpoint()));
      var sqs = track(started, () -> client(SqsClient.builder(), sqsServer.endpoint()));
      var secretsManager =
          track(started, () -> client(SecretsManagerClient.builder(), secretsManagerServer.endpoint()));
      var resources = template.createResources(dynamoDb, sqs);
      return new LocalAws(
          dynamoDbServer, sqsServer, secretsManagerServer, dynamoDb, sqs, secretsManager, resources);
    } catch (RuntimeException e) {
      closeAll(started.reversed(), e);
      throw e;
    }
  }

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
    return dynamoDbServer.endpoint();
  }

  public URI sqsEndpoint() {
    return sqsServer.endpoint();
  }

  public URI secretsManagerEndpoint() {
    return secretsManagerServer.endpoint();
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
    closeAll(
        List.of(secretsManager, sqs, dynamoDb, secretsManagerServer, sqsServer, dynamoDbServer), failure);
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

  private static <T extends AutoCloseable> T collect(Future<T> start, List<AutoCloseable> started) {
    try {
      var service = start.get();
      started.add(service);
      return service;
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static RuntimeException firstFailure(List<Future<?>> starts) {
    for (var start : starts) {
      if (start.state() == Future.State.FAILED) {
        var cause = start.exceptionNow();
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
      }
    }
    return new IllegalStateException("Interrupted while starting local AWS");
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> started, Supplier<T> create) {
    var resource = create.get();
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
