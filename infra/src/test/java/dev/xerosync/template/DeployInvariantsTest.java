package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a first deploy and day-to-day operation need from template.yaml, beyond its functions. */
class DeployInvariantsTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load();

  @Test
  void guidedDeployExplainsEveryParameterInOneGroupWithALabel() {
    JsonNode ui = TEMPLATE.tree().path("Metadata").path("AWS::CloudFormation::Interface");
    List<String> grouped = new ArrayList<>();
    ui.path("ParameterGroups")
        .forEach(g -> g.path("Parameters").forEach(p -> grouped.add(p.asText())));
    List<String> parameters = new ArrayList<>();
    TEMPLATE.tree().path("Parameters").fieldNames().forEachRemaining(parameters::add);
    assertThat(grouped)
        .as("parameters in ParameterGroups")
        .containsExactlyInAnyOrderElementsOf(parameters);
    for (String p : parameters) {
      assertThat(ui.path("ParameterLabels").path(p).path("default").asText())
          .as(p + " label")
          .isNotBlank();
      assertThat(TEMPLATE.tree().path("Parameters").path(p).path("Description").asText())
          .as(p + " description")
          .isNotBlank();
    }
  }

  @Test
  void everyStatefulResourceSaysWhatHappensOnDeleteAndReplace() {
    // cfn-lint I3011: the default deletes; each says so explicitly, and the table is kept.
    for (var r :
        TEMPLATE.resourcesOfType(
            "AWS::SQS::Queue",
            "AWS::SecretsManager::Secret",
            "AWS::DynamoDB::Table",
            "AWS::Logs::LogGroup")) {
      assertThat(r.getValue().path("DeletionPolicy").asText()).as(r.getKey()).isNotEmpty();
      assertThat(r.getValue().path("UpdateReplacePolicy").asText()).as(r.getKey()).isNotEmpty();
    }
    JsonNode table = TEMPLATE.resource("Table");
    assertThat(table.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(table.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    assertThat(table.path("Properties").path("DeletionProtectionEnabled").asBoolean()).isTrue();
  }

  @Test
  void everyResponseApiGatewayMakesItselfCarriesCorsHeaders() {
    for (var api : TEMPLATE.resourcesOfType("AWS::Serverless::Api")) {
      JsonNode responses = api.getValue().path("Properties").path("GatewayResponses");
      for (String type : List.of("DEFAULT_4XX", "DEFAULT_5XX")) {
        JsonNode headers = responses.path(type).path("ResponseParameters").path("Headers");
        assertThat(headers.path("Access-Control-Allow-Origin").asText())
            .as(api.getKey() + " " + type)
            .isEqualTo("method.request.header.origin");
        assertThat(headers.path("Vary").asText())
            .as(api.getKey() + " " + type)
            .isEqualTo("'Origin'");
      }
    }
  }

  @Test
  void theFunctionsThatFailQuietlyAndTheQueuesThatFillQuietlyHaveAlarms() {
    List<String> watched = new ArrayList<>();
    for (var alarm : TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm")) {
      JsonNode p = alarm.getValue().path("Properties");
      assertThat(p.path("AlarmActions").toString()).as(alarm.getKey()).contains("AlarmTopic");
      assertThat(p.path("AlarmDescription").asText()).as(alarm.getKey()).isNotBlank();
      String target = p.path("Dimensions").path(0).path("Value").toString();
      watched.add(
          p.path("Namespace").asText() + " " + p.path("MetricName").asText() + " " + target);
    }
    for (String fn : List.of("AuthorizerFunction", "ReconcileFunction", "TokenRefreshFunction")) {
      for (String metric : List.of("Errors", "Throttles")) {
        assertThat(watched).contains("AWS/Lambda " + metric + " {\"Ref\":\"" + fn + "\"}");
      }
    }
    for (String dlq :
        List.of(
            "SyncDeadLetterQueue",
            "SyncDelayDeadLetterQueue",
            "WriteDeadLetterQueue",
            "NotificationDeadLetterQueue")) {
      assertThat(watched)
          .contains(
              "AWS/SQS ApproximateNumberOfMessagesVisible {\"Fn::GetAtt\":[\""
                  + dlq
                  + "\",\"QueueName\"]}");
    }
    assertThat(watched)
        .contains(
            "AWS/SQS ApproximateAgeOfOldestMessage {\"Fn::GetAtt\":[\"SyncQueue\",\"QueueName\"]}");
  }

  @Test
  void noDetailedMethodMetricsAreBilled() {
    // docs/cost counts the API-wide metrics only; per-method ones would add about $0.30 a metric.
    for (var api : TEMPLATE.resourcesOfType("AWS::Serverless::Api")) {
      api.getValue()
          .path("Properties")
          .path("MethodSettings")
          .forEach(
              m ->
                  assertThat(m.path("MetricsEnabled").asBoolean(false)).as(m.toString()).isFalse());
    }
  }
}
