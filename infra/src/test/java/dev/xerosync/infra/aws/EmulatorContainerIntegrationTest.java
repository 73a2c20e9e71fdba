package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The template's tables and queues, and the access patterns the stand-ins serve, against a real
 * emulator in Docker instead of the embedded services: LocalStack 4.14.0 (the last tag that needs
 * no auth token; LOCALSTACK_AUTH_TOKEN is passed through when set) or Floci ({@code
 * -Dcontainers.engine=floci}). Run with {@code ./mvnw -Pcontainers -pl infra -am verify}; the
 * default build compiles it but leaves it out, and without Docker it reports itself skipped.
 */
@Tag("containers")
@Testcontainers(disabledWithoutDocker = true)
class EmulatorContainerIntegrationTest {

  static final String LOCALSTACK = "localstack/localstack:4.14.0";
  static final String FLOCI = "floci/floci:latest";

  private static GenericContainer<?> container;
  private static LocalAws aws;

  @BeforeAll
  static void start() {
    URI endpoint;
    if ("floci".equals(System.getProperty("containers.engine"))) {
      var floci = new GenericContainer<>(DockerImageName.parse(FLOCI)).withExposedPorts(4566);
      floci.start();
      container = floci;
      endpoint = URI.create("http://" + floci.getHost() + ":" + floci.getMappedPort(4566));
    } else {
      var localstack =
          new LocalStackContainer(DockerImageName.parse(LOCALSTACK))
              .withServices("dynamodb", "sqs", "secretsmanager");
      var token = System.getenv("LOCALSTACK_AUTH_TOKEN");
      if (token != null && !token.isBlank()) {
        localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
      }
      localstack.start();
      container = localstack;
      endpoint = localstack.getEndpoint();
    }
    aws = LocalAws.attach(endpoint, CloudFormationTemplate.fromClasspath());
  }

  @AfterAll
  static void stop() {
    if (aws != null) {
      aws.close();
    }
    if (container != null) {
      container.stop();
    }
  }

  @Test
  void tablesIndexesConditionsAndTransactions() {
    var table = aws.resources().tableName("Table");
    var dynamo = aws.dynamoDb();
    dynamo.putItem(
        r ->
            r.tableName(table)
                .item(
                    Map.of(
                        "pk", s("TENANT#1"),
                        "sk", s("INVOICE#1"),
                        "gsi3pk", s("N#1"),
                        "gsi3sk", s("INV-001"))));
    var byNumber =
        dynamo.query(
            r ->
                r.tableName(table)
                    .indexName("ByNumber")
                    .keyConditionExpression("gsi3pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("N#1"))));
    assertThat(byNumber.items()).extracting(i -> i.get("sk").s()).containsExactly("INVOICE#1");

    assertThatThrownBy(
            () ->
                dynamo.transactWriteItems(
                    r ->
                        r.transactItems(
                            t ->
                                t.put(
                                    p ->
                                        p.tableName(table)
                                            .item(Map.of("pk", s("TENANT#1"), "sk", s("INVOICE#1")))
                                            .conditionExpression("attribute_not_exists(pk)")))))
        .isInstanceOfSatisfying(
            TransactionCanceledException.class,
            e ->
                assertThat(e.cancellationReasons())
                    .extracting(c -> c.code())
                    .containsExactly("ConditionalCheckFailed"));
  }

  @Test
  void queuesAndSecrets() {
    var queue = aws.resources().queueUrl("SyncQueue");
    aws.sqs()
        .sendMessage(
            r ->
                r.queueUrl(queue)
                    .messageBody("{}")
                    .messageGroupId("t")
                    .messageDeduplicationId("d"));
    assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(queue)).messages()).hasSize(1);

    aws.secretsManager().createSecret(r -> r.name("xero-sync/connections/t").secretString("{}"));
    assertThat(
            aws.secretsManager()
                .getSecretValue(r -> r.secretId("xero-sync/connections/t"))
                .secretString())
        .isEqualTo("{}");
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
