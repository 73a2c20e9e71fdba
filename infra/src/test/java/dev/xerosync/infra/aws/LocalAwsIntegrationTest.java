package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LocalAwsIntegrationTest {

  @Test
  void startsQuicklyServesAllThreeServicesOnLoopbackAndStopsThemOnClose() {
    long started = System.nanoTime();
    LocalAws aws = LocalAws.start();
    var startup = Duration.ofNanos(System.nanoTime() - started);
    try {
      // Generous: the target is well under 5 s, but build machines are shared.
      assertThat(startup).isLessThan(Duration.ofSeconds(15));
      assertThat(aws.dynamoDbEndpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(aws.sqsEndpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(aws.secretsManagerEndpoint().getHost()).isEqualTo("127.0.0.1");

      var table = aws.resources().tableName("Table");
      aws.dynamoDb()
          .putItem(
              r -> r.tableName(table).item(Map.of("pk", s("TENANT#1"), "sk", s("INVOICE#1"), "gsi3pk", s("N#1"), "gsi3sk", s("INV-001"))));
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
      aws.sqs().sendMessage(r -> r.queueUrl(queue).messageBody("{}").messageGroupId("t").messageDeduplicationId("d"));
      var message = aws.sqs().receiveMessage(r -> r.queueUrl(queue)).messages();
      assertThat(message).hasSize(1);
      aws.sqs().deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.getFirst().receiptHandle()));

      aws.secretsManager().createSecret(r -> r.name("xero-sync/connections/t").secretString("{}"));
      assertThat(aws.secretsManager().getSecretValue(r -> r.secretId("xero-sync/connections/t")).secretString())
          .isEqualTo("{}");
    } finally {
      aws.close();
    }

    for (var endpoint : new java.net.URI[] {aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.secretsManagerEndpoint()}) {
      assertThatThrownBy(() -> new Socket(endpoint.getHost(), endpoint.getPort()).close())
          .as("nothing listens on %s after close", endpoint)
          .isInstanceOf(IOException.class);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
