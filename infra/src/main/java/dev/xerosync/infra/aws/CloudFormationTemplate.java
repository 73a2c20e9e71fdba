package dev.xerosync.infra.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SAM/CloudFormation template, read so that local tables and queues are created exactly as the
 * deployed ones are.
 *
 * <p>Jackson's YAML parser silently drops tags it does not know: {@code !Ref Table} reads as the
 * plain string "Table" and {@code !GetAtt Queue.Arn} as "Queue.Arn". This reader walks the parser's
 * tokens instead and rewrites every short-form intrinsic to its long form ({@code {"Ref": ...}},
 * {@code {"Fn::GetAtt": [resource, attribute]}}, {@code {"Fn::Sub": ...}}), and rejects tags
 * CloudFormation does not define.
 *
 * <p>Only DynamoDB tables and SQS queues are created. A property that would change how a table or
 * queue behaves and is not applied here fails the whole call before anything is created;
 * properties with no local effect (encryption, backups, tags) are accepted and ignored.
 */
public final class CloudFormationTemplate {

  private static final String TABLE = "AWS::DynamoDB::Table";
  private static final String QUEUE = "AWS::SQS::Queue";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Short-form tags and the long-form keys they stand for. */
  private static final Map<String, String> INTRINSICS =
      Map.ofEntries(
          Map.entry("Ref", "Ref"),
          Map.entry("Condition", "Condition"),
          Map.entry("GetAtt", "Fn::GetAtt"),
          Map.entry("Sub", "Fn::Sub"),
          Map.entry("Join", "Fn::Join"),
          Map.entry("Select", "Fn::Select"),
          Map.entry("Split", "Fn::Split"),
          Map.entry("FindInMap", "Fn::FindInMap"),
          Map.entry("GetAZs", "Fn::GetAZs"),
          Map.entry("ImportValue", "Fn::ImportValue"),
          Map.entry("Base64", "Fn::Base64"),
          Map.entry("Cidr", "Fn::Cidr"),
          Map.entry("Transform", "Fn::Transform"),
          Map.entry("If", "Fn::If"),
          Map.entry("Equals", "Fn::Equals"),
          Map.entry("And", "Fn::And"),
          Map.entry("Or", "Fn::Or"),
          Map.entry("Not", "Fn::Not"),
          Map.entry("ToJsonString", "Fn::ToJsonString"),
          Map.entry("Length", "Fn::Length"));

  /** Resource attributes that do not change what gets created. Condition is absent on purpose. */
  private static final Set<String> RESOURCE_KEYS =
      Set.of(
          "Type", "Properties", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
          "UpdatePolicy", "CreationPolicy");

  private static final Set<String> TABLE_APPLIED =
      Set.of(
          "TableName", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
          "LocalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "TimeToLiveSpecification",
          "StreamSpecification");
  // Encryption, backups, tags, access policy, capacity ceilings and cost class: none changes what
  // a read or write against DynamoDB Local returns.
  private static final Set<String> TABLE_WITHOUT_LOCAL_EFFECT =
      Set.of(
          "PointInTimeRecoverySpecification", "SSESpecification", "Tags", "DeletionProtectionEnabled",
          "ContributorInsightsSpecification", "TableClass", "ResourcePolicy", "OnDemandThroughput",
          "WarmThroughput");

  private static final Set<String> QUEUE_APPLIED =
      Set.of(
          "QueueName", "FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout",
          "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
          "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "DeduplicationScope");
  // Encryption and tags have no local effect. FifoThroughputLimit only raises AWS's throughput
  // ceiling. RedriveAllowPolicy can only refuse a redrive that AWS would already have refused at
  // deploy time, so a template that deploys behaves the same without it.
  private static final Set<String> QUEUE_WITHOUT_LOCAL_EFFECT =
      Set.of(
          "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Tags",
          "FifoThroughputLimit", "RedriveAllowPolicy");

  private static final int MIN_UNENFORCED_RETENTION_SECONDS = 86_400;
  private static final int DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;

  private final ObjectNode root;

  private CloudFormationTemplate(ObjectNode root) {
    this.root = root;
  }

  /** The template.yaml that the build copies onto the classpath from the repository root. */
  public static CloudFormationTemplate fromClasspath() {
    return fromClasspath("template.yaml");
  }

  public static CloudFormationTemplate fromClasspath(String resource) {
    try (InputStream in = CloudFormationTemplate.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No " + resource + " on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + resource + " from the classpath", e);
    }
  }

  public static CloudFormationTemplate read(Path path) {
    try {
      return parse(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + path, e);
    }
  }

  public static CloudFormationTemplate parse(String yaml) {
    try (var parser = new YAMLFactory().createParser(yaml)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("A template is a YAML mapping at the top level");
      }
      var root = (ObjectNode) readValue(parser);
      if (!root.path("Resources").isObject()) {
        throw new IllegalArgumentException("The template has no Resources mapping");
      }
      return new CloudFormationTemplate(root);
    } catch (IOException e) {
      throw new IllegalArgumentException("The template is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** The whole template as a tree, with intrinsics in long form. */
  public JsonNode tree() {
    return root.deepCopy();
  }

  /** One resource's definition (Type, Properties, ...), with intrinsics in long form. */
  public JsonNode resource(String logicalId) {
    var resource = root.path("Resources").get(logicalId);
    if (resource == null) {
      throw new IllegalArgumentException("The template has no resource " + logicalId);
    }
    return resource.deepCopy();
  }

  /**
   * Creates every DynamoDB table and SQS queue the template defines. Everything is checked before
   * anything is created. Queues are created dead-letter queues first, so each RedrivePolicy can
   * name the ARN of the queue created here.
   */
  public LocalResources createResources(DynamoDbClient dynamoDb, SqsClient sqs) {
    var tables = new ArrayList<TableDefinition>();
    var queues = new LinkedHashMap<String, QueueDefinition>();
    root.path("Resources")
        .properties()
        .forEach(
            entry -> {
              var logicalId = entry.getKey();
              var resource = entry.getValue();
              switch (resource.path("Type").asText()) {
                case TABLE -> tables.add(table(logicalId, resource));
                case QUEUE -> queues.put(logicalId, queue(logicalId, resource));
                case "AWS::Serverless::SimpleTable" ->
                    throw unsupported(
                        logicalId, "AWS::Serverless::SimpleTable is not created locally; use AWS::DynamoDB::Table");
                default -> {
                  // Functions, APIs and the rest are run by other local stand-ins, not created.
                }
              }
            });
    var queueOrder = creationOrder(queues);

    var tableNames = new LinkedHashMap<String, String>();
    for (var table : tables) {
      dynamoDb.createTable(table.request());
      if (table.timeToLive() != null) {
        dynamoDb.updateTimeToLive(
            r -> r.tableName(table.request().tableName()).timeToLiveSpecification(table.timeToLive()));
      }
      tableNames.put(table.logicalId(), table.request().tableName());
    }

    var queueUrls = new LinkedHashMap<String, String>();
    var queueArns = new LinkedHashMap<String, String>();
    for (var logicalId : queueOrder) {
      var queue = queues.get(logicalId);
      var attributes = new HashMap<>(queue.attributes());
      if (queue.redrive() != null) {
        var target =
            queue.redrive().targetLogicalId() != null
                ? queueArns.get(queue.redrive().targetLogicalId())
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
      queueUrls.put(logicalId, url);
      queueArns.put(logicalId, arn);
    }
    return new LocalResources(tableNames, queueUrls, queueArns);
  }

  private record TableDefinition(
      String logicalId, CreateTableRequest request, TimeToLiveSpecification timeToLive) {}

  /** A dead-letter target: a queue of this template by logical id, or a literal ARN. */
  private record Redrive(String targetLogicalId, String targetArn, int maxReceiveCount) {}

  private record QueueDefinition(
      String name, boolean fifo, Map<QueueAttributeName, String> attributes, Redrive redrive) {}

  private static TableDefinition table(String logicalId, JsonNode resource) {
    var where = TABLE + " " + logicalId;
    var properties = properties(resource, where, TABLE_APPLIED, TABLE_WITHOUT_LOCAL_EFFECT);
    var request = CreateTableRequest.builder();
    var name =
        properties.has("TableName") ? literal(properties.get("TableName"), where + " TableName") : logicalId;
    request.tableName(name);

    var attributes = new ArrayList<AttributeDefinition>();
    for (var attribute : list(properties, "AttributeDefinitions", where)) {
      expectKeys(attribute, where + " AttributeDefinitions", Set.of("AttributeName", "AttributeType"));
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(literal(attribute.get("AttributeName"), where + " AttributeName"))
              .attributeType(literal(attribute.get("AttributeType"), where + " AttributeType"))
              .build());
    }
    request.attributeDefinitions(attributes);
    request.keySchema(keySchema(properties.get("KeySchema"), where + " KeySchema"));

    var billingMode =
        properties.has("BillingMode")
            ? literal(properties.get("BillingMode"), where + " BillingMode")
            : "PROVISIONED"; // CloudFormation's default
    request.billingMode(billingMode);
    boolean provisioned = billingMode.equals("PROVISIONED");
    if (provisioned) {
      request.provisionedThroughput(throughput(properties.get("ProvisionedThroughput"), where));
    } else if (properties.has("ProvisionedThroughput")) {
      throw unsupported(where, "ProvisionedThroughput is only valid with BillingMode PROVISIONED");
    }

    var globalIndexes = new ArrayList<GlobalSecondaryIndex>();
    for (var index : list(properties, "GlobalSecondaryIndexes", where)) {
      var indexWhere = where + " GlobalSecondaryIndexes " + index.path("IndexName").asText();
      expectKeys(index, indexWhere, Set.of("IndexName", "KeySchema", "Projection", "ProvisionedThroughput"));
      var gsi =
          GlobalSecondaryIndex.builder()
              .indexName(literal(index.get("IndexName"), indexWhere + " IndexName"))
              .keySchema(keySchema(index.get("KeySchema"), indexWhere + " KeySchema"))
              .projection(projection(index.get("Projection"), indexWhere));
      if (provisioned) {
        gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput"), indexWhere));
      }
      globalIndexes.add(gsi.build());
    }
    if (!globalIndexes.isEmpty()) {
      request.globalSecondaryIndexes(globalIndexes);
    }

    var localIndexes = new ArrayList<LocalSecondaryIndex>();
    for (var index : list(properties, "LocalSecondaryIndexes", where)) {
      var indexWhere = where + " LocalSecondaryIndexes " + index.path("IndexName").asText();
      expectKeys(index, indexWhere, Set.of("IndexName", "KeySchema", "Projection"));
      localIndexes.add(
          LocalSecondaryIndex.builder()
              .indexName(literal(index.get("IndexName"), indexWhere + " IndexName"))
              .keySchema(keySchema(index.get("KeySchema"), indexWhere + " KeySchema"))
              .projection(projection(index.get("Projection"), indexWhere))
              .build());
    }
    if (!localIndexes.isEmpty()) {
      request.localSecondaryIndexes(localIndexes);
    }

    var stream = properties.get("StreamSpecification");
    if (stream != null) {
      expectKeys(stream, where + " StreamSpecification", Set.of("StreamViewType"));
      request.streamSpecification(
          StreamSpecification.builder()
              .streamEnabled(true)
              .streamViewType(literal(stream.get("StreamViewType"), where + " StreamViewType"))
              .build());
    }

    TimeToLiveSpecification timeToLive = null;
    var ttl = properties.get("TimeToLiveSpecification");
    if (ttl != null) {
      expectKeys(ttl, where + " TimeToLiveSpecification", Set.of("AttributeName", "Enabled"));
      if (bool(ttl.get("Enabled"), where + " TimeToLiveSpecification Enabled")) {
        timeToLive =
            TimeToLiveSpecification.builder()
                .attributeName(literal(ttl.get("AttributeName"), where + " TimeToLiveSpecification AttributeName"))
                .enabled(true)
                .build();
      }
    }
    return new TableDefinition(logicalId, request.build(), timeToLive);
  }

  private static QueueDefinition queue(String logicalId, JsonNode resource) {
    var where = QUEUE + " " + logicalId;
    var properties = properties(resource, where, QUEUE_APPLIED, QUEUE_WITHOUT_LOCAL_EFFECT);
    boolean fifo = properties.has("FifoQueue") && bool(properties.get("FifoQueue"), where + " FifoQueue");
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
        attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(contentBased));
      }
    }
    if (properties.has("DeduplicationScope")) {
      var scope = literal(properties.get("DeduplicationScope"), where + " DeduplicationScope");
      if (!scope.equals("queue")) {
        throw unsupported(where, "DeduplicationScope " + scope + " is not applied locally");
      }
    }
    integerAttribute(properties, "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT, attributes, where);
    // ElasticMQ accepts MessageRetentionPeriod but never expires messages (nor reports the
    // attribute back). That only differs from AWS if a local run outlives the period, so periods
    // of a day or more pass and shorter ones, which a test could notice, fail.
    if (properties.has("MessageRetentionPeriod")) {
      int retention = integer(properties.get("MessageRetentionPeriod"), where + " MessageRetentionPeriod");
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
    integerAttribute(properties, "DelaySeconds", QueueAttributeName.DELAY_SECONDS, attributes, where);
    // ElasticMQ ignores a queue's MaximumMessageSize and applies SQS's default limit to every queue.
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

  /** Dead-letter queues before the queues that redrive to them; fails on unknown or cyclic targets. */
  private static List<String> creationOrder(Map<String, QueueDefinition> queues) {
    var ordered = new ArrayList<String>();
    var visiting = new HashSet<String>();
    for (var logicalId : queues.keySet()) {
      visit(logicalId, queues, visiting, ordered);
    }
    return ordered;
  }

  private static void visit(
      String logicalId, Map<String, QueueDefinition> queues, Set<String> visiting, List<String> ordered) {
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
            "RedrivePolicy targets " + redrive.targetLogicalId() + ", which is not a queue of this template");
      }
      if (target.fifo() != queue.fifo()) {
        throw unsupported(
            QUEUE + " " + logicalId, "a FIFO queue needs a FIFO dead-letter queue, and a standard one a standard one");
      }
      visit(redrive.targetLogicalId(), queues, visiting, ordered);
    }
    visiting.remove(logicalId);
    ordered.add(logicalId);
  }

  private static JsonNode properties(
      JsonNode resource, String where, Set<String> applied, Set<String> withoutLocalEffect) {
    resource
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!RESOURCE_KEYS.contains(key)) {
                throw unsupported(where, "resource attribute " + key + " is not applied locally");
              }
            });
    var properties = resource.path("Properties");
    if (properties.isMissingNode()) {
      return JSON.createObjectNode();
    }
    if (!properties.isObject()) {
      throw unsupported(where, "Properties must be a mapping");
    }
    properties
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!applied.contains(key) && !withoutLocalEffect.contains(key)) {
                throw unsupported(where, "property " + key + " is not applied locally");
              }
            });
    return properties;
  }

  private static List<KeySchemaElement> keySchema(JsonNode node, String where) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw unsupported(where, "a non-empty list is required");
    }
    var keys = new ArrayList<KeySchemaElement>();
    for (var key : node) {
      expectKeys(key, where, Set.of("AttributeName", "KeyType"));
      keys.add(
          KeySchemaElement.builder()
              .attributeName(literal(key.get("AttributeName"), where + " AttributeName"))
              .keyType(literal(key.get("KeyType"), where + " KeyType"))
              .build());
    }
    return keys;
  }

  private static Projection projection(JsonNode node, String where) {
    if (node == null) {
      throw unsupported(where, "Projection is required");
    }
    expectKeys(node, where + " Projection", Set.of("ProjectionType", "NonKeyAttributes"));
    var projection = Projection.builder();
    if (node.has("ProjectionType")) {
      projection.projectionType(literal(node.get("ProjectionType"), where + " ProjectionType"));
    }
    if (node.has("NonKeyAttributes")) {
      var nonKey = new ArrayList<String>();
      for (var attribute : node.get("NonKeyAttributes")) {
        nonKey.add(literal(attribute, where + " NonKeyAttributes"));
      }
      projection.nonKeyAttributes(nonKey);
    }
    return projection.build();
  }

  private static ProvisionedThroughput throughput(JsonNode node, String where) {
    if (node == null) {
      throw unsupported(where, "ProvisionedThroughput is required with BillingMode PROVISIONED");
    }
    expectKeys(node, where + " ProvisionedThroughput", Set.of("ReadCapacityUnits", "WriteCapacityUnits"));
    return ProvisionedThroughput.builder()
        .readCapacityUnits((long) integer(node.get("ReadCapacityUnits"), where + " ReadCapacityUnits"))
        .writeCapacityUnits((long) integer(node.get("WriteCapacityUnits"), where + " WriteCapacityUnits"))
        .build();
  }

  private static void integerAttribute(
      JsonNode properties,
      String property,
      QueueAttributeName attribute,
      Map<QueueAttributeName, String> into,
      String where) {
    if (properties.has(property)) {
      into.put(attribute, Integer.toString(integer(properties.get(property), where + " " + property)));
    }
  }

  private static List<JsonNode> list(JsonNode properties, String field, String where) {
    var node = properties.get(field);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw unsupported(where, field + " must be a list");
    }
    var elements = new ArrayList<JsonNode>();
    node.forEach(elements::add);
    return elements;
  }

  private static void expectKeys(JsonNode node, String where, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw unsupported(where, "a mapping is required");
    }
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                throw unsupported(where, key + " is not applied locally");
              }
            });
  }

  /** A scalar written in the template. Intrinsics are not evaluated here, so they fail. */
  private static String literal(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      throw unsupported(where, "a value is required");
    }
    if (node.isContainerNode()) {
      throw unsupported(where, "must be a literal value; intrinsic functions are not resolved here, found " + node);
    }
    return node.asText();
  }

  private static boolean bool(JsonNode node, String where) {
    var value = literal(node, where);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw unsupported(where, "must be true or false, found " + value);
    };
  }

  private static int integer(JsonNode node, String where) {
    var value = literal(node, where);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw unsupported(where, "must be an integer, found " + value);
    }
  }

  private static IllegalArgumentException unsupported(String where, String problem) {
    return new IllegalArgumentException(where + ": " + problem);
  }

  // --- YAML to tree, with CloudFormation's tags -------------------------------------------------

  private static JsonNode readValue(JsonParser parser) throws IOException {
    // The tag must be read before descending: the parser reports it on the value's first token.
    var tag = (String) parser.getTypeId();
    var location = parser.currentLocation();
    JsonNode value =
        switch (parser.currentToken()) {
          case START_OBJECT -> readObject(parser);
          case START_ARRAY -> readArray(parser);
          case VALUE_STRING -> NODES.textNode(parser.getText());
          case VALUE_NUMBER_INT ->
              switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
              };
          case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
          case VALUE_TRUE -> NODES.booleanNode(true);
          case VALUE_FALSE -> NODES.booleanNode(false);
          case VALUE_NULL -> NODES.nullNode();
          default ->
              throw new IllegalArgumentException(
                  "Unexpected " + parser.currentToken() + " at line " + location.getLineNr());
        };
    if (tag == null || tag.startsWith("tag:yaml.org,2002:")) {
      return value;
    }
    var function = INTRINSICS.get(tag);
    if (function == null) {
      throw new IllegalArgumentException(
          "Unknown tag !" + tag + " at line " + location.getLineNr() + " of the template");
    }
    if (function.equals("Fn::GetAtt") && value.isTextual()) {
      // !GetAtt Resource.Attribute is short for [Resource, Attribute]; attributes may hold dots.
      var text = value.textValue();
      int dot = text.indexOf('.');
      if (dot < 1 || dot == text.length() - 1) {
        throw new IllegalArgumentException(
            "!GetAtt needs Resource.Attribute at line " + location.getLineNr() + ", found " + text);
      }
      value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
    }
    return NODES.objectNode().set(function, value);
  }

  private static ObjectNode readObject(JsonParser parser) throws IOException {
    var object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      var name = parser.currentName();
      if (object.has(name)) {
        // CloudFormation rejects duplicate keys; YAML readers differ on which one wins.
        throw new IllegalArgumentException(
            "Duplicate key " + name + " at line " + parser.currentLocation().getLineNr());
      }
      parser.nextToken();
      object.set(name, readValue(parser));
    }
    return object;
  }

  private static ArrayNode readArray(JsonParser parser) throws IOException {
    var array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser));
    }
    return array;
  }
}
