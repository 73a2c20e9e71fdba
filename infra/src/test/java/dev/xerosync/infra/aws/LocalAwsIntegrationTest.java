package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LocalAwsIntegrationTest {

  @Test
  void servesAllThreeServicesOnLoopbackAndStopsThemOnClose() {
    // No timing assertion: startup is measured outside tests, as shared build machines vary.
    LocalAws aws = LocalAws.start();
    try {
      assertThat(aws.dynamoDbEndpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(aws.sqsEndpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(aws.secretsManagerEndpoint().getHost()).isEqualTo("127.0.0.1");

      var table = aws.resources().tableName("Table");
      aws.dynamoDb()
          .putItem(
              r ->
                  r.tableName(table)
                      .item(
                          Map.of(
                              "pk",
                              s("TENANT#1"),
                              "sk",
                              s("INVOICE#1"),
                              "gsi3pk",
                              s("N#1"),
                              "gsi3sk",
                              s("INV-001"))));
      var byNumber =
          aws.dynamoDb()
              .query(
                  r ->
                      r.tableName(table)
                          .indexName("ByNumber")
                          .keyConditionExpression("gsi3pk = :p")
                          .expressionAttributeValues(Map.of(":p", s("N#1"))));
      assertThat(byNumber.items()).extracting(i -> i.get("sk").s()).containsExactly("INVOICE#1");

      var queue = aws.resources().queueUrl("SyncQueue");
      aws.sqs()
          .sendMessage(
              r ->
                  r.queueUrl(queue)
                      .messageBody("{}")
                      .messageGroupId("t")
                      .messageDeduplicationId("d"));
      var message = aws.sqs().receiveMessage(r -> r.queueUrl(queue)).messages();
      assertThat(message).hasSize(1);
      aws.sqs()
          .deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.getFirst().receiptHandle()));

      aws.secretsManager().createSecret(r -> r.name("xero-sync/connections/t").secretString("{}"));
      assertThat(
              aws.secretsManager()
                  .getSecretValue(r -> r.secretId("xero-sync/connections/t"))
                  .secretString())
          .isEqualTo("{}");
    } finally {
      aws.close();
    }

    for (var endpoint :
        List.of(aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.secretsManagerEndpoint())) {
      assertThatThrownBy(() -> new Socket(endpoint.getHost(), endpoint.getPort()).close())
          .as("nothing listens on %s after close", endpoint)
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void closeLeavesNoThreadThatWouldKeepTheJvmAlive() throws Exception {
    // Threads of stand-ins other tests share in this JVM (SharedLocalAws) are not this one's.
    var before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
    LocalAws.start().close();

    // A stand-in's schedulers (the DynamoDB TTL sweep, ElasticMQ's actors) must not outlive close.
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    List<String> lingering;
    do {
      lingering =
          nonDaemonThreadsRunning(
              before,
              "software.amazon.dynamodb",
              "org.apache.pekko",
              "org.elasticmq",
              "sun.net.httpserver");
    } while (!lingering.isEmpty() && System.nanoTime() < deadline && sleep());
    assertThat(lingering).isEmpty();
  }

  @Test
  void aTemplateThatCannotBeAppliedFailsBeforeAnyServiceStarts() {
    var unappliable =
        CloudFormationTemplate.parse(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  MaximumMessageSize: 1024
            """);

    assertThatThrownBy(() -> LocalAws.start(unappliable))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MaximumMessageSize 1024 is not enforced locally");
  }

  private static List<String> nonDaemonThreadsRunning(
      java.util.Set<Thread> excluded, String... packages) {
    var found = new ArrayList<String>();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              if (!thread.isDaemon() && thread.isAlive() && !excluded.contains(thread)) {
                for (var frame : stack) {
                  for (var prefix : packages) {
                    if (frame.getClassName().startsWith(prefix)) {
                      found.add(thread.getName() + " in " + frame);
                      return;
                    }
                  }
                }
              }
            });
    return found;
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
