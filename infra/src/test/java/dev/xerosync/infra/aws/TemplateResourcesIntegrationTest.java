package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The template's tables and queues, created in the DynamoDB stand-in and ElasticMQ through
 * LocalAws.
 */
class TemplateResourcesIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalAws aws;
  private static CloudFormationTemplate template;

  @BeforeAll
  static void start() {
    template = CloudFormationTemplate.fromClasspath();
    aws = LocalAws.start(template);
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void theTableHasTheTemplatesKeysIndexesAndTimeToLive() {
    var definition = template.resource("Table").get("Properties");
    var table =
        aws.dynamoDb().describeTable(r -> r.tableName(aws.resources().tableName("Table"))).table();

    assertThat(table.tableName()).isEqualTo("Table");
    assertThat(keys(table.keySchema())).isEqualTo(keys(definition.get("KeySchema")));
    assertThat(table.attributeDefinitions())
        .extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
        .containsExactlyInAnyOrderElementsOf(
            elements(
                definition.get("AttributeDefinitions"),
                a -> a.get("AttributeName").asText() + ":" + a.get("AttributeType").asText()));
    assertThat(table.billingModeSummary().billingModeAsString())
        .isEqualTo(definition.get("BillingMode").asText());

    var expectedIndexes =
        elements(
            definition.get("GlobalSecondaryIndexes"),
            i ->
                i.get("IndexName").asText()
                    + " "
                    + keys(i.get("KeySchema"))
                    + " "
                    + i.at("/Projection/ProjectionType").asText());
    assertThat(table.globalSecondaryIndexes())
        .extracting(
            (GlobalSecondaryIndexDescription i) ->
                i.indexName()
                    + " "
                    + keys(i.keySchema())
                    + " "
                    + i.projection().projectionTypeAsString())
        .containsExactlyInAnyOrderElementsOf(expectedIndexes)
        .hasSize(5);

    var ttl = aws.dynamoDb().describeTimeToLive(r -> r.tableName("Table")).timeToLiveDescription();
    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(ttl.attributeName())
        .isEqualTo(definition.at("/TimeToLiveSpecification/AttributeName").asText())
        .isEqualTo("expiresAt");
  }

  @Test
  void theFifoQueuesHaveTheTemplatesAttributes() throws Exception {
    var syncQueue = template.resource("SyncQueue").get("Properties");
    var attributes = queueAttributes("SyncQueue");

    assertThat(aws.resources().queueUrl("SyncQueue")).endsWith("/SyncQueue.fifo");
    assertThat(attributes)
        .containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
        .containsEntry(
            QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
            syncQueue.get("ContentBasedDeduplication").asText())
        .containsEntry(
            QueueAttributeName.VISIBILITY_TIMEOUT, syncQueue.get("VisibilityTimeout").asText())
        // ElasticMQ takes MessageRetentionPeriod without storing it: messages never expire locally,
        // which for the template's 14 days is the same thing.
        .doesNotContainKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    assertThat(syncQueue.get("MessageRetentionPeriod").asInt()).isEqualTo(1_209_600);
    var redrive = JSON.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
    assertThat(redrive.get("deadLetterTargetArn").asText())
        .isEqualTo(aws.resources().queueArn("SyncDeadLetterQueue"))
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:SyncDeadLetterQueue.fifo");
    assertThat(redrive.get("maxReceiveCount").asInt())
        .isEqualTo(syncQueue.at("/RedrivePolicy/maxReceiveCount").asInt());

    var deadLetters = queueAttributes("SyncDeadLetterQueue");
    assertThat(aws.resources().queueUrl("SyncDeadLetterQueue"))
        .endsWith("/SyncDeadLetterQueue.fifo");
    assertThat(deadLetters)
        .containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
        .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")
        .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30")
        .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
  }

  @Test
  void fifoQueueDeduplicatesOrdersWithinAGroupAndHoldsTheGroupWhileAMessageIsInFlight() {
    var sqs = aws.sqs();
    var url = aws.resources().queueUrl("SyncQueue");
    var tenant = "tenant-" + UUID.randomUUID();

    var sent =
        sqs.sendMessageBatch(
            r ->
                r.queueUrl(url)
                    .entries(
                        entry("1", "first", tenant, "dedup-1"),
                        entry("2", "second", tenant, "dedup-2"),
                        entry("3", "first again", tenant, "dedup-1")));
    assertThat(sent.failed()).isEmpty();
    assertThat(sent.successful()).hasSize(3);

    var first = receive(url, 1, null);
    assertThat(first).extracting(Message::body).containsExactly("first");
    assertThat(first.getFirst().attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, tenant)
        .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")
        .containsKey(MessageSystemAttributeName.SENT_TIMESTAMP);
    // AWS holds the rest of a group while one of its messages is in flight.
    assertThat(receive(url, 10, null)).isEmpty();

    sqs.deleteMessageBatch(
        r ->
            r.queueUrl(url)
                .entries(
                    DeleteMessageBatchRequestEntry.builder()
                        .id("1")
                        .receiptHandle(first.getFirst().receiptHandle())
                        .build()));
    var second = receive(url, 10, null);
    // "first again" reused dedup-1 within the deduplication window, so it was dropped.
    assertThat(second).extracting(Message::body).containsExactly("second");
    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(second.getFirst().receiptHandle()));
    assertThat(receive(url, 10, 0)).isEmpty();

    assertThatThrownBy(
            () ->
                sqs.sendMessage(
                    r -> r.queueUrl(url).messageBody("no dedup id").messageGroupId(tenant)))
        .isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).statusCode()).isEqualTo(400));
  }

  @Test
  void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
    var sqs = aws.sqs();
    var url = aws.resources().queueUrl("SyncQueue");
    var tenant = "tenant-" + UUID.randomUUID();
    int maxReceiveCount =
        template.resource("SyncQueue").at("/Properties/RedrivePolicy/maxReceiveCount").asInt();
    sqs.sendMessage(
        r ->
            r.queueUrl(url)
                .messageBody("poison")
                .messageGroupId(tenant)
                .messageDeduplicationId("poison-1"));

    // The first receive keeps the queue's 360 s visibility timeout; ChangeMessageVisibility makes
    // the message visible again at once, as a worker giving up on it would.
    var received = receive(url, 1, null);
    assertThat(received).extracting(Message::body).containsExactly("poison");
    sqs.changeMessageVisibility(
        r ->
            r.queueUrl(url)
                .receiptHandle(received.getFirst().receiptHandle())
                .visibilityTimeout(0));
    for (int count = 2; count <= maxReceiveCount; count++) {
      var again = receive(url, 1, 0);
      assertThat(again).extracting(Message::body).containsExactly("poison");
      assertThat(again.getFirst().attributes())
          .containsEntry(
              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(count));
    }

    assertThat(receive(url, 10, 0)).isEmpty();
    var deadLetterUrl = aws.resources().queueUrl("SyncDeadLetterQueue");
    var deadLetters = receive(deadLetterUrl, 10, null);
    assertThat(deadLetters).extracting(Message::body).containsExactly("poison");
    assertThat(deadLetters.getFirst().attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, tenant);
    sqs.deleteMessage(
        r -> r.queueUrl(deadLetterUrl).receiptHandle(deadLetters.getFirst().receiptHandle()));
  }

  @Test
  void aPropertyThatChangesBehaviourButIsNotAppliedFailsBeforeAnythingIsCreated() {
    var suffix = UUID.randomUUID().toString().substring(0, 8);
    var withStreamToKinesis =
        CloudFormationTemplate.parse(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: q-%1$s
              Orders:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: t-%1$s
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                  KeySchema: [{AttributeName: pk, KeyType: HASH}]
                  KinesisStreamSpecification:
                    StreamArn: arn:aws:kinesis:us-east-1:000000000000:stream/s
            """
                .formatted(suffix));

    assertThatThrownBy(() -> withStreamToKinesis.createResources(aws.dynamoDb(), aws.sqs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "AWS::DynamoDB::Table Orders: property KinesisStreamSpecification is not applied"
                + " locally");
    assertThat(aws.dynamoDb().listTables().tableNames()).doesNotContain("t-" + suffix);
    assertThat(aws.sqs().listQueues().queueUrls()).noneMatch(u -> u.endsWith("q-" + suffix));
  }

  @Test
  void conditionalResourcesUnresolvableNamesAndUnenforceableSettingsFailLoudly() {
    var conditional =
        CloudFormationTemplate.parse(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Condition: IsProduction
            """);
    assertThatThrownBy(() -> conditional.createResources(aws.dynamoDb(), aws.sqs()))
        .hasMessageContaining("resource attribute Condition");

    var computedName =
        CloudFormationTemplate.parse(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "${AWS::StackName}-queue"
            """);
    assertThatThrownBy(() -> computedName.createResources(aws.dynamoDb(), aws.sqs()))
        .hasMessageContaining("QueueName")
        .hasMessageContaining("intrinsic");

    var shortRetention =
        CloudFormationTemplate.parse(
            """
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  MessageRetentionPeriod: 60
            """);
    assertThatThrownBy(() -> shortRetention.createResources(aws.dynamoDb(), aws.sqs()))
        .hasMessageContaining("MessageRetentionPeriod 60 is not enforced locally");
  }

  private static Map<QueueAttributeName, String> queueAttributes(String logicalId) {
    return aws.sqs()
        .getQueueAttributes(
            r ->
                r.queueUrl(aws.resources().queueUrl(logicalId))
                    .attributeNames(QueueAttributeName.ALL))
        .attributes();
  }

  private static List<Message> receive(String url, int max, Integer visibilityTimeout) {
    return aws.sqs()
        .receiveMessage(
            r ->
                r.queueUrl(url)
                    .maxNumberOfMessages(max)
                    .visibilityTimeout(visibilityTimeout)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
        .messages();
  }

  private static SendMessageBatchRequestEntry entry(
      String id, String body, String group, String dedup) {
    return SendMessageBatchRequestEntry.builder()
        .id(id)
        .messageBody(body)
        .messageGroupId(group)
        .messageDeduplicationId(dedup)
        .build();
  }

  private static List<String> keys(List<KeySchemaElement> keySchema) {
    return keySchema.stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList();
  }

  private static List<String> keys(JsonNode keySchema) {
    return elements(
        keySchema, k -> k.get("AttributeName").asText() + " " + k.get("KeyType").asText());
  }

  private static List<String> elements(
      JsonNode array, java.util.function.Function<JsonNode, String> describe) {
    var described = new ArrayList<String>();
    array.forEach(element -> described.add(describe.apply(element)));
    return described;
  }
}
