package dev.xerosync.infra.aws;

import static dev.xerosync.infra.aws.TemplateProperties.bool;
import static dev.xerosync.infra.aws.TemplateProperties.expectKeys;
import static dev.xerosync.infra.aws.TemplateProperties.integer;
import static dev.xerosync.infra.aws.TemplateProperties.literal;
import static dev.xerosync.infra.aws.TemplateProperties.properties;
import static dev.xerosync.infra.aws.TemplateProperties.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A template's {@code AWS::SQS::Queue} resources: checked, ordered dead-letter queues first, then
 * created.
 */
final class TemplateQueues {

  static final String QUEUE = "AWS::SQS::Queue";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> QUEUE_APPLIED =
      Set.of(
          "QueueName",
          "FifoQueue",
          "ContentBasedDeduplication",
          "VisibilityTimeout",
          "MessageRetentionPeriod",
          "DelaySeconds",
          "MaximumMessageSize",
          "ReceiveMessageWaitTimeSeconds",
          "RedrivePolicy",
          "DeduplicationScope");
  // Encryption and tags have no local effect. FifoThroughputLimit only raises AWS's throughput
  // ceiling. RedriveAllowPolicy can only refuse a redrive that AWS would already have refused at
  // deploy time, so a template that deploys behaves the same without it.
  private static final Set<String> QUEUE_WITHOUT_LOCAL_EFFECT =
      Set.of(
          "KmsMasterKeyId",
          "KmsDataKeyReusePeriodSeconds",
          "SqsManagedSseEnabled",
          "Tags",
          "FifoThroughputLimit",
          "RedriveAllowPolicy");

  private static final int MIN_UNENFORCED_RETENTION_SECONDS = 86_400;
  private static final int DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;

  private TemplateQueues() {}

  /** Queue URLs and ARNs by logical id. */
  record CreatedQueues(Map<String, String> urls, Map<String, String> arns) {}

  /** A dead-letter target: a queue of this template by logical id, or a literal ARN. */
  record Redrive(String targetLogicalId, String targetArn, int maxReceiveCount) {}

  record QueueDefinition(
      String name, boolean fifo, Map<QueueAttributeName, String> attributes, Redrive redrive) {}

  static CreatedQueues create(
      Map<String, QueueDefinition> queues, List<String> queueOrder, SqsClient sqs) {
    var urls = new LinkedHashMap<String, String>();
    var arns = new LinkedHashMap<String, String>();
    for (var logicalId : queueOrder) {
      var queue = queues.get(logicalId);
      var attributes = new HashMap<>(queue.attributes());
      if (queue.redrive() != null) {
        var target =
            queue.redrive().targetLogicalId() != null
                ? arns.get(queue.redrive().targetLogicalId())
                : queue.redrive().targetArn();
        var policy =
            JSON.createObjectNode()
                .put("deadLetterTargetArn", target)
                .put("maxReceiveCount", queue.redrive().maxReceiveCount());
        attributes.put(QueueAttributeName.REDRIVE_POLICY, policy.toString());
      }
      var url = sqs.createQueue(r -> r.queueName(queue.name()).attributes(attributes)).queueUrl();
      var arn =
          sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      urls.put(logicalId, url);
      arns.put(logicalId, arn);
    }
    return new CreatedQueues(urls, arns);
  }

  static QueueDefinition queue(String logicalId, JsonNode resource) {
    var where = QUEUE + " " + logicalId;
    var properties = properties(resource, where, QUEUE_APPLIED, QUEUE_WITHOUT_LOCAL_EFFECT);
    boolean fifo =
        properties.has("FifoQueue") && bool(properties.get("FifoQueue"), where + " FifoQueue");
    String name;
    if (properties.has("QueueName")) {
      name = literal(properties.get("QueueName"), where + " QueueName");
      if (fifo != name.endsWith(".fifo")) {
        throw unsupported(where, "QueueName must end in .fifo exactly when FifoQueue is true");
      }
    } else {
      name = fifo ? logicalId + ".fifo" : logicalId;
    }

    var attributes = new LinkedHashMap<QueueAttributeName, String>();
    if (fifo) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    if (properties.has("ContentBasedDeduplication")) {
      boolean contentBased =
          bool(properties.get("ContentBasedDeduplication"), where + " ContentBasedDeduplication");
      if (contentBased && !fifo) {
        throw unsupported(where, "ContentBasedDeduplication applies to FIFO queues only");
      }
      if (fifo) {
        attributes.put(
            QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(contentBased));
      }
    }
    if (properties.has("DeduplicationScope")) {
      var scope = literal(properties.get("DeduplicationScope"), where + " DeduplicationScope");
      // ElasticMQ deduplicates per queue. Per message group (AWS's high-throughput mode) differs
      // only when two groups send one deduplication id: AWS delivers both, locally the second is
      // dropped. Ours never do: each id hashes a request that names its tenant, or an operation.
      if (!scope.equals("queue") && !scope.equals("messageGroup")) {
        throw unsupported(where, "DeduplicationScope " + scope + " is not applied locally");
      }
      if (scope.equals("messageGroup") && !fifo) {
        throw unsupported(where, "DeduplicationScope applies to FIFO queues only");
      }
    }
    integerAttribute(
        properties, "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT, attributes, where);
    // ElasticMQ accepts MessageRetentionPeriod but never expires messages (nor reports the
    // attribute back). That only differs from AWS if a local run outlives the period, so periods
    // of a day or more pass and shorter ones, which a test could notice, fail.
    if (properties.has("MessageRetentionPeriod")) {
      int retention =
          integer(properties.get("MessageRetentionPeriod"), where + " MessageRetentionPeriod");
      if (retention < MIN_UNENFORCED_RETENTION_SECONDS) {
        throw unsupported(
            where,
            "MessageRetentionPeriod "
                + retention
                + " is not enforced locally (ElasticMQ keeps messages until deleted); use at least "
                + MIN_UNENFORCED_RETENTION_SECONDS);
      }
      attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(retention));
    }
    integerAttribute(
        properties, "DelaySeconds", QueueAttributeName.DELAY_SECONDS, attributes, where);
    // ElasticMQ ignores a queue's MaximumMessageSize and applies SQS's default limit to every
    // queue.
    if (properties.has("MaximumMessageSize")) {
      int size = integer(properties.get("MaximumMessageSize"), where + " MaximumMessageSize");
      if (size != DEFAULT_MAXIMUM_MESSAGE_SIZE) {
        throw unsupported(
            where,
            "MaximumMessageSize "
                + size
                + " is not enforced locally; ElasticMQ applies "
                + DEFAULT_MAXIMUM_MESSAGE_SIZE
                + " to every queue");
      }
    }
    integerAttribute(
        properties,
        "ReceiveMessageWaitTimeSeconds",
        QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
        attributes,
        where);

    Redrive redrive = null;
    var policy = properties.get("RedrivePolicy");
    if (policy != null) {
      redrive = redrive(policy, where + " RedrivePolicy");
    }
    return new QueueDefinition(name, fifo, Map.copyOf(attributes), redrive);
  }

  private static Redrive redrive(JsonNode policy, String where) {
    if (policy.isTextual()) {
      // CloudFormation also takes the policy as a JSON string.
      try {
        policy = JSON.readTree(policy.textValue());
      } catch (IOException e) {
        throw unsupported(where, "not a JSON object");
      }
    }
    expectKeys(policy, where, Set.of("deadLetterTargetArn", "maxReceiveCount"));
    int maxReceiveCount = integer(policy.get("maxReceiveCount"), where + " maxReceiveCount");
    var target = policy.get("deadLetterTargetArn");
    if (target != null && target.isTextual()) {
      return new Redrive(null, target.textValue(), maxReceiveCount);
    }
    var getAtt = target == null ? null : target.get("Fn::GetAtt");
    if (target != null
        && target.size() == 1
        && getAtt != null
        && getAtt.isArray()
        && getAtt.size() == 2
        && getAtt.get(1).asText().equals("Arn")) {
      return new Redrive(getAtt.get(0).asText(), null, maxReceiveCount);
    }
    throw unsupported(where, "deadLetterTargetArn must be an ARN or !GetAtt <Queue>.Arn");
  }

  /**
   * Dead-letter queues before the queues that redrive to them; fails on unknown or cyclic targets.
   */
  static List<String> creationOrder(Map<String, QueueDefinition> queues) {
    var ordered = new ArrayList<String>();
    var visiting = new HashSet<String>();
    for (var logicalId : queues.keySet()) {
      visit(logicalId, queues, visiting, ordered);
    }
    return ordered;
  }

  private static void visit(
      String logicalId,
      Map<String, QueueDefinition> queues,
      Set<String> visiting,
      List<String> ordered) {
    if (ordered.contains(logicalId)) {
      return;
    }
    if (!visiting.add(logicalId)) {
      throw unsupported(QUEUE + " " + logicalId, "RedrivePolicy targets form a cycle");
    }
    var queue = queues.get(logicalId);
    var redrive = queue.redrive();
    if (redrive != null && redrive.targetLogicalId() != null) {
      var target = queues.get(redrive.targetLogicalId());
      if (target == null) {
        throw unsupported(
            QUEUE + " " + logicalId,
            "RedrivePolicy targets "
                + redrive.targetLogicalId()
                + ", which is not a queue of this template");
      }
      if (target.fifo() != queue.fifo()) {
        throw unsupported(
            QUEUE + " " + logicalId,
            "a FIFO queue needs a FIFO dead-letter queue, and a standard one a standard one");
      }
      visit(redrive.targetLogicalId(), queues, visiting, ordered);
    }
    visiting.remove(logicalId);
    ordered.add(logicalId);
  }

  private static void integerAttribute(
      JsonNode properties,
      String property,
      QueueAttributeName attribute,
      Map<QueueAttributeName, String> into,
      String where) {
    if (properties.has(property)) {
      into.put(
          attribute, Integer.toString(integer(properties.get(property), where + " " + property)));
    }
  }
}
