package dev.xerosync.infra.aws.iam;

import java.util.List;
import java.util.Map;

/**
 * The AWS managed policies SAM attaches to a function's role, as AWS publishes them (AWS Managed
 * Policy Reference, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/): the basic
 * execution role on every function, the SQS one for an SQS event.
 */
public final class AwsManagedPolicies {
  public static final String BASIC_EXECUTION =
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
  public static final String SQS_QUEUE_EXECUTION =
      "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole";

  private static final List<String> LOGS =
      List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");

  private static final Map<String, IamPolicy> POLICIES =
      Map.of(
          BASIC_EXECUTION,
          new IamPolicy(
              "AWSLambdaBasicExecutionRole",
              List.of(new IamPolicy.Statement(true, LOGS, List.of("*")))),
          SQS_QUEUE_EXECUTION,
          new IamPolicy(
              "AWSLambdaSQSQueueExecutionRole",
              List.of(
                  new IamPolicy.Statement(
                      true,
                      List.of(
                          "sqs:ReceiveMessage",
                          "sqs:DeleteMessage",
                          "sqs:GetQueueAttributes",
                          "logs:CreateLogGroup",
                          "logs:CreateLogStream",
                          "logs:PutLogEvents"),
                      List.of("*")))));

  private AwsManagedPolicies() {}

  /** The policy of a managed policy ARN this project's template uses. */
  public static IamPolicy of(String arn) {
    IamPolicy policy = POLICIES.get(arn.replace("arn:${AWS::Partition}:", "arn:aws:"));
    if (policy == null) {
      throw new IllegalArgumentException(
          "the local IAM evaluation does not know the managed policy " + arn);
    }
    return policy;
  }
}
