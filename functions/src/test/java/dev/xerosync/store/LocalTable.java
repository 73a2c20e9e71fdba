package dev.xerosync.store;

import dev.xerosync.infra.aws.DynamoDbStandIn;
import dev.xerosync.infra.aws.TemplateTables;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The project's table, created from template.yaml in the in-process DynamoDB stand-in, once per
 * test JVM: store tests run against DynamoDB's semantics (conditions, transactions, pagination) in
 * milliseconds, through the same SDK client and HTTP client the functions deploy with. Tests keep
 * apart by tenant (a random tenant id), never by assuming an empty table, and must not close it.
 */
public final class LocalTable {

  /** The template's logical id for the one table. */
  private static final String LOGICAL_ID = "Table";

  private static LocalTable shared;

  private final DynamoDbClient dynamoDb;
  private final String name;

  private LocalTable(DynamoDbClient dynamoDb, String name) {
    this.dynamoDb = dynamoDb;
    this.name = name;
  }

  public static synchronized LocalTable get() {
    if (shared == null) {
      var standIn = DynamoDbStandIn.start();
      var client =
          DynamoDbClient.builder()
              .endpointOverride(standIn.endpoint())
              .region(Region.of(DynamoDbStandIn.REGION))
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .build();
      // Maven runs tests from the module's directory, benchmarks run from the repository root,
      // where the template sits.
      Path template = Path.of("template.yaml");
      if (!Files.isRegularFile(template)) {
        template = Path.of("..", "template.yaml");
      }
      var tables = TemplateTables.createFrom(template, client);
      shared = new LocalTable(client, tables.get(LOGICAL_ID));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    client.close();
                    standIn.close();
                  }));
    }
    return shared;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public String name() {
    return name;
  }
}
