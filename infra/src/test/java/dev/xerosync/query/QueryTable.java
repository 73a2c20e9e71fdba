package dev.xerosync.query;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.testsupport.SharedLocalAws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployed table, created from template.yaml in the local AWS stand-ins shared by the test JVM,
 * for the query API's integration tests (each seeds tenants of its own).
 */
final class QueryTable implements AutoCloseable {
  final LocalAws aws;
  final DynamoDbClient dynamo;
  final String name;

  private QueryTable(LocalAws aws) {
    this.aws = aws;
    this.dynamo = aws.dynamoDb();
    this.name = aws.resources().tableName("Table");
  }

  static QueryTable create() {
    return new QueryTable(SharedLocalAws.get());
  }

  @Override
  public void close() {
    // The stand-ins are shared with the other test classes of this JVM.
  }
}
