package dev.xerosync.query;

import dev.xerosync.infra.aws.LocalAws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployed table, created from template.yaml in the local AWS stand-ins, for the query API's
 * integration tests.
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
    return new QueryTable(LocalAws.start());
  }

  @Override
  public void close() {
    aws.close();
  }
}
