package dev.xerosync.queue;

import dev.xerosync.common.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Moves messages from a dead-letter queue back to the queue they came from, once the cause is
 * fixed. A FIFO message keeps its group (its tenant) and gets a new deduplication id, so SQS's
 * 5-minute deduplication window cannot swallow it. Each message is deleted from the dead-letter
 * queue only after it is safely on the source queue.
 */
public final class DeadLetterRedrive {
  private final SqsClient sqs;

  public DeadLetterRedrive(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * An empty batch, which SQS refuses, under the sqs:SendMessage the function has: nothing is sent.
   */
  public void prime(String sourceQueueUrl) {
    try {
      sqs.sendMessageBatch(r -> r.queueUrl(sourceQueueUrl).entries(List.of()));
    } catch (software.amazon.awssdk.core.exception.SdkException expected) {
      // EmptyBatchRequest: the request path ran, which is all priming wants.
    }
  }

  public int redrive(String deadLetterQueueUrl, String sourceQueueUrl, int max) {
    boolean fifo = sourceQueueUrl.endsWith(".fifo");
    int moved = 0;
    while (moved < max) {
      int want = Math.min(10, max - moved);
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(deadLetterQueueUrl)
                          .maxNumberOfMessages(want)
                          .waitTimeSeconds(0)
                          .visibilityTimeout(60)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      if (batch.isEmpty()) {
        break;
      }
      List<Message> sent = new ArrayList<>();
      for (Message m : batch) {
        Map<MessageSystemAttributeName, String> attributes = m.attributes();
        sqs.sendMessage(
            r -> {
              r.queueUrl(sourceQueueUrl).messageBody(m.body());
              if (fifo) {
                String group =
                    attributes.getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, "redrive");
                r.messageGroupId(group)
                    .messageDeduplicationId(
                        Sha256.hex("redrive|" + m.messageId() + "|" + m.body()));
              }
            });
        sent.add(m);
      }
      for (Message m : sent) {
        sqs.deleteMessage(r -> r.queueUrl(deadLetterQueueUrl).receiptHandle(m.receiptHandle()));
      }
      moved += sent.size();
    }
    return moved;
  }
}
