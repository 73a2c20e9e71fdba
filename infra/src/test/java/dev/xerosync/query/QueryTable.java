package dev.xerosync.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * The deployed table (keys and GSIs as template.yaml defines them) in DynamoDB Local, in memory on a
 * loopback port, for the query API's integration tests. Built on DynamoDB Local's request handler in
 * our own Jetty (as infra's EmbeddedDynamoDb does), so its telemetry is never configured and nothing
 * leaves the machine. To be replaced by LocalAws once it is on main.
 */
final class QueryTable implements AutoCloseable {
    final DynamoDbClient dynamo;
    final String name;
    private final Server server;
    private final LocalDynamoDBRequestHandler handler;

    private QueryTable(Server server, LocalDynamoDBRequestHandler handler, URI endpoint, String name) {
        this.server = server;
        this.handler = handler;
        this.dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        this.name = name;
    }

    static QueryTable create() {
        try {
            var handler = new LocalDynamoDBRequestHandler(0, true, null, true, false);
            var context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(handler, null));
            var server = new Server();
            var connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(context);
            server.start();
            QueryTable t = new QueryTable(server, handler, URI.create("http://127.0.0.1:" + connector.getLocalPort()), "xero-sync-query-test");
            t.createFromTemplate();
            return t;
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start", e);
        }
    }

    private void createFromTemplate() {
        JsonNode props;
        try (InputStream in = QueryTable.class.getResourceAsStream("/template.yaml")) {
            props = new ObjectMapper(new YAMLFactory()).readTree(in).path("Resources").path("Table").path("Properties");
        } catch (Exception e) {
            throw new IllegalStateException("template.yaml could not be read", e);
        }
        List<AttributeDefinition> attributes = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        props.path("GlobalSecondaryIndexes").forEach(g -> indexes.add(GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keySchema(g.path("KeySchema")))
                .projection(Projection.builder().projectionType(ProjectionType.fromValue(g.path("Projection").path("ProjectionType").asText())).build())
                .build()));
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes).keySchema(keySchema(props.path("KeySchema"))).globalSecondaryIndexes(indexes));
    }

    private static List<KeySchemaElement> keySchema(JsonNode node) {
        List<KeySchemaElement> keys = new ArrayList<>();
        node.forEach(k -> keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build()));
        return keys;
    }

    @Override
    public void close() {
        dynamo.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            handler.shutdown();
        }
    }
}
