package dev.xerosync.infra.aws;

import static dev.xerosync.infra.aws.TemplateProperties.bool;
import static dev.xerosync.infra.aws.TemplateProperties.expectKeys;
import static dev.xerosync.infra.aws.TemplateProperties.integer;
import static dev.xerosync.infra.aws.TemplateProperties.list;
import static dev.xerosync.infra.aws.TemplateProperties.literal;
import static dev.xerosync.infra.aws.TemplateProperties.properties;
import static dev.xerosync.infra.aws.TemplateProperties.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** A template's {@code AWS::DynamoDB::Table} resources: checked, then created. */
public final class TemplateTables {

  static final String TABLE = "AWS::DynamoDB::Table";

  private static final Set<String> TABLE_APPLIED =
      Set.of(
          "TableName",
          "AttributeDefinitions",
          "KeySchema",
          "GlobalSecondaryIndexes",
          "LocalSecondaryIndexes",
          "BillingMode",
          "ProvisionedThroughput",
          "TimeToLiveSpecification",
          "StreamSpecification");
  // Encryption, backups, tags, access policy, capacity ceilings and cost class: none changes what
  // a read or write against the local stand-in returns.
  private static final Set<String> TABLE_WITHOUT_LOCAL_EFFECT =
      Set.of(
          "PointInTimeRecoverySpecification",
          "SSESpecification",
          "Tags",
          "DeletionProtectionEnabled",
          "ContributorInsightsSpecification",
          "TableClass",
          "ResourcePolicy",
          "OnDemandThroughput",
          "WarmThroughput");

  private TemplateTables() {}

  record TableDefinition(
      String logicalId, CreateTableRequest request, TimeToLiveSpecification timeToLive) {}

  /**
   * Creates the tables of the template at {@code template}, and only those (queues and the rest are
   * infra's CloudFormationTemplate's), for tests that need DynamoDB alone. Every table is checked
   * before any is created. Returns physical table names by logical id.
   */
  public static Map<String, String> createFrom(Path template, DynamoDbClient dynamoDb) {
    ObjectNode root;
    try {
      root = CloudFormationYaml.read(Files.readString(template));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + template, e);
    }
    var tables = new ArrayList<TableDefinition>();
    root.path("Resources")
        .properties()
        .forEach(
            entry -> {
              if (entry.getValue().path("Type").asText().equals(TABLE)) {
                tables.add(table(entry.getKey(), entry.getValue()));
              }
            });
    return create(tables, dynamoDb);
  }

  /** Physical table names by logical id. */
  static Map<String, String> create(List<TableDefinition> tables, DynamoDbClient dynamoDb) {
    var tableNames = new LinkedHashMap<String, String>();
    for (var table : tables) {
      dynamoDb.createTable(table.request());
      if (table.timeToLive() != null) {
        dynamoDb.updateTimeToLive(
            r ->
                r.tableName(table.request().tableName())
                    .timeToLiveSpecification(table.timeToLive()));
      }
      tableNames.put(table.logicalId(), table.request().tableName());
    }
    return tableNames;
  }

  static TableDefinition table(String logicalId, JsonNode resource) {
    var where = TABLE + " " + logicalId;
    var properties = properties(resource, where, TABLE_APPLIED, TABLE_WITHOUT_LOCAL_EFFECT);
    var request = CreateTableRequest.builder();
    var name =
        properties.has("TableName")
            ? literal(properties.get("TableName"), where + " TableName")
            : logicalId;
    request.tableName(name);

    var attributes = new ArrayList<AttributeDefinition>();
    for (var attribute : list(properties, "AttributeDefinitions", where)) {
      expectKeys(
          attribute, where + " AttributeDefinitions", Set.of("AttributeName", "AttributeType"));
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
      expectKeys(
          index,
          indexWhere,
          Set.of("IndexName", "KeySchema", "Projection", "ProvisionedThroughput"));
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
                .attributeName(
                    literal(
                        ttl.get("AttributeName"), where + " TimeToLiveSpecification AttributeName"))
                .enabled(true)
                .build();
      }
    }
    return new TableDefinition(logicalId, request.build(), timeToLive);
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
    expectKeys(
        node, where + " ProvisionedThroughput", Set.of("ReadCapacityUnits", "WriteCapacityUnits"));
    return ProvisionedThroughput.builder()
        .readCapacityUnits(
            (long) integer(node.get("ReadCapacityUnits"), where + " ReadCapacityUnits"))
        .writeCapacityUnits(
            (long) integer(node.get("WriteCapacityUnits"), where + " WriteCapacityUnits"))
        .build();
  }
}
