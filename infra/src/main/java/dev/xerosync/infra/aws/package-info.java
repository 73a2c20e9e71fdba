/**
 * AWS for local runs and tests, in-process and without Docker: a DynamoDB that speaks the real wire
 * protocol ({@link dev.xerosync.infra.aws.DynamoDbStandIn}, checked against moto by a differential
 * conformance suite), ElasticMQ for SQS ({@link dev.xerosync.infra.aws.EmbeddedSqs}), a Secrets
 * Manager that speaks the real wire protocol ({@link
 * dev.xerosync.infra.aws.SecretsManagerStandIn}), the template's tables and queues ({@link
 * dev.xerosync.infra.aws.CloudFormationTemplate}), and all of it together ({@link
 * dev.xerosync.infra.aws.LocalAws}). Production code talks to them through the unchanged AWS SDK
 * clients, aimed at loopback endpoints. The DynamoDB stand-in and the template's tables are in
 * module localaws (same package), small enough for the functions' own tests to use.
 *
 * <p>Where the stand-ins differ from AWS, and why it is acceptable:
 *
 * <ul>
 *   <li>The DynamoDB stand-in serves the operations and expressions this project uses (not PartiQL,
 *       streams, backups or the legacy non-expression parameters, which fail by name). It deletes
 *       expired items every five minutes rather than within days; a Scan's order and segments
 *       differ from DynamoDB's hash order, which DynamoDB leaves unspecified. There are no local
 *       secondary indexes in the template, so ItemCollectionSizeLimitExceeded never applies.
 *   <li>ElasticMQ accepts MessageRetentionPeriod and MaximumMessageSize but neither stores nor
 *       enforces them: messages stay until deleted, and every queue takes SQS's default maximum
 *       size. {@link dev.xerosync.infra.aws.CloudFormationTemplate} therefore refuses retention
 *       periods under a day and non-default sizes, where the difference could show.
 *   <li>The Secrets Manager stand-in does not check request signatures, rotate, replicate or use
 *       KMS; those requests fail rather than pretend.
 * </ul>
 */
package dev.xerosync.infra.aws;
