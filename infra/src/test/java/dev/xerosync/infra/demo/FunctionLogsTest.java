package dev.xerosync.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FunctionLogsTest {
  @Test
  void aLogLineBecomesLevelLoggerMessageAndItsFields() {
    String line =
        "{\"ts\":\"2026-11-29T22:55:26.606Z\",\"level\":\"INFO\",\"logger\":\"WebhookHandler\","
            + "\"message\":\"webhook accepted\",\"correlationId\":\"c-1\",\"events\":\"1\"}";
    assertThat(FunctionLogs.readable(line))
        .endsWith(" INFO  WebhookHandler: webhook accepted correlationId=c-1 events=1")
        .doesNotContain("{");
  }

  @Test
  void aMetricLineShowsItsValuesWithoutTheEmbeddedFormatDirective() {
    String line =
        "{\"_aws\":{\"Timestamp\":1795992855051,\"CloudWatchMetrics\":[{\"Namespace\":\"XeroSync\"}]},"
            + "\"XeroCalls\":1,\"tenantId\":\"t-1\"}";
    assertThat(FunctionLogs.readable(line))
        .endsWith(" METRIC XeroCalls=1 tenantId=t-1")
        .doesNotContain("CloudWatchMetrics");
  }

  @Test
  void anythingElsePassesAsItCame() {
    assertThat(FunctionLogs.readable("[sqs] SyncWorkerFunction poll failed: x"))
        .isEqualTo("[sqs] SyncWorkerFunction poll failed: x");
    assertThat(FunctionLogs.readable("{not json")).isEqualTo("{not json");
  }
}
