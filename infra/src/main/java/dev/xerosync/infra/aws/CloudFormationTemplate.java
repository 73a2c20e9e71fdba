package dev.xerosync.infra.aws;

import static dev.xerosync.infra.aws.TemplateProperties.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.TemplateQueues.CreatedQueues;
import dev.xerosync.infra.aws.TemplateQueues.QueueDefinition;
import dev.xerosync.infra.aws.TemplateTables.TableDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SAM/CloudFormation template, read so that local tables and queues are created exactly as the
 * deployed ones are. {@link CloudFormationYaml} reads it with its tags, {@link TemplateTables} and
 * {@link TemplateQueues} check and create its tables and queues.
 *
 * <p>Only DynamoDB tables and SQS queues are created. A property that would change how a table or
 * queue behaves and is not applied here fails the whole call before anything is created; properties
 * with no local effect (encryption, backups, tags) are accepted and ignored.
 */
public final class CloudFormationTemplate {

  private static final String TABLE = TemplateTables.TABLE;
  private static final String QUEUE = TemplateQueues.QUEUE;

  private final ObjectNode root;

  private CloudFormationTemplate(ObjectNode root) {
    this.root = root;
  }

  /** The template.yaml that the build copies onto the classpath from the repository root. */
  public static CloudFormationTemplate fromClasspath() {
    return fromClasspath("template.yaml");
  }

  public static CloudFormationTemplate fromClasspath(String resource) {
    try (InputStream in =
        CloudFormationTemplate.class.getClassLoader().getResourceAsStream(resource)) {
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
    try {
      var root = CloudFormationYaml.read(yaml);
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
    var plan = plan();
    var tableNames = plan.createTables(dynamoDb);
    var queues = plan.createQueues(sqs);
    return new LocalResources(tableNames, queues.urls(), queues.arns());
  }

  /**
   * Checks every table and queue definition and orders the queues, without creating anything, so
   * that a caller can fail before starting services and then create tables and queues apart.
   */
  Plan plan() {
    var tables = new ArrayList<TableDefinition>();
    var queues = new LinkedHashMap<String, QueueDefinition>();
    root.path("Resources")
        .properties()
        .forEach(
            entry -> {
              var logicalId = entry.getKey();
              var resource = entry.getValue();
              switch (resource.path("Type").asText()) {
                case TABLE -> tables.add(TemplateTables.table(logicalId, resource));
                case QUEUE -> queues.put(logicalId, TemplateQueues.queue(logicalId, resource));
                case "AWS::Serverless::SimpleTable" ->
                    throw unsupported(
                        logicalId,
                        "AWS::Serverless::SimpleTable is not created locally; use"
                            + " AWS::DynamoDB::Table");
                default -> {
                  // Functions, APIs and the rest are run by other local stand-ins, not created.
                }
              }
            });
    return new Plan(List.copyOf(tables), Map.copyOf(queues), TemplateQueues.creationOrder(queues));
  }

  /** Validated definitions, ready to create. */
  record Plan(
      List<TableDefinition> tables, Map<String, QueueDefinition> queues, List<String> queueOrder) {

    /** Physical table names by logical id. */
    Map<String, String> createTables(DynamoDbClient dynamoDb) {
      return TemplateTables.create(tables, dynamoDb);
    }

    CreatedQueues createQueues(SqsClient sqs) {
      return TemplateQueues.create(queues, queueOrder, sqs);
    }
  }
}
