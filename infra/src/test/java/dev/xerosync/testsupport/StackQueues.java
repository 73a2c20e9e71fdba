package dev.xerosync.testsupport;

import dev.xerosync.infra.lambda.LocalStack;
import java.util.List;

/** What the local stack's queues still hold, for tests that wait for the work to drain. */
public final class StackQueues {
  private StackQueues() {}

  /** The messages in the queues (template logical ids): visible, in flight and delayed. */
  public static long depth(LocalStack stack, String... queues) {
    long depth = 0;
    for (String queue : queues) {
      depth +=
          stack
              .aws()
              .sqs()
              .getQueueAttributes(
                  r ->
                      r.queueUrl(stack.aws().resources().queueUrl(queue))
                          .attributeNamesWithStrings(
                              "ApproximateNumberOfMessages",
                              "ApproximateNumberOfMessagesNotVisible",
                              "ApproximateNumberOfMessagesDelayed"))
              .attributesAsStrings()
              .values()
              .stream()
              .mapToLong(Long::parseLong)
              .sum();
    }
    return depth;
  }

  /** Whether every one of the queues is empty, in flight and delayed included. */
  public static boolean empty(LocalStack stack, List<String> queues) {
    return depth(stack, queues.toArray(String[]::new)) == 0;
  }
}
