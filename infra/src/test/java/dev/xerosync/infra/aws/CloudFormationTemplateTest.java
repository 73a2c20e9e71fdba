package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class CloudFormationTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plainJacksonDropsCloudFormationTagsSilently() throws Exception {
    // Why the template is not read with a plain YAMLMapper: the intrinsic disappears without error.
    var plain = new YAMLMapper().readTree("A: !Ref Table\nB: !GetAtt Queue.Arn\n");
    assertThat(plain.toString()).isEqualTo("{\"A\":\"Table\",\"B\":\"Queue.Arn\"}");
  }

  @Test
  void shortFormIntrinsicsBecomeTheirLongForm() throws Exception {
    var template =
        CloudFormationTemplate.parse(
            """
            Resources:
              R:
                Type: Test
                Properties:
                  Ref: !Ref Table
                  Dotted: !GetAtt Queue.Arn
                  Listed: !GetAtt [Queue, QueueName]
                  Nested: !GetAtt Stack.Outputs.Name
                  Sub: !Sub "arn:${AWS::Partition}:x"
                  Join: !Join [":", [a, !Ref B]]
                  Long:
                    Fn::GetAtt: [Queue, Arn]
                  Number: 360
                  Flag: true
            """);

    assertThat(template.resource("R").get("Properties"))
        .isEqualTo(
            JSON.readTree(
                """
                {"Ref": {"Ref": "Table"},
                 "Dotted": {"Fn::GetAtt": ["Queue", "Arn"]},
                 "Listed": {"Fn::GetAtt": ["Queue", "QueueName"]},
                 "Nested": {"Fn::GetAtt": ["Stack", "Outputs.Name"]},
                 "Sub": {"Fn::Sub": "arn:${AWS::Partition}:x"},
                 "Join": {"Fn::Join": [":", ["a", {"Ref": "B"}]]},
                 "Long": {"Fn::GetAtt": ["Queue", "Arn"]},
                 "Number": 360,
                 "Flag": true}
                """));
  }

  @Test
  void unknownTagsAndDuplicateKeysAreRejected() {
    assertThatThrownBy(() -> CloudFormationTemplate.parse("Resources:\n  R: !Reff X\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("!Reff")
        .hasMessageContaining("line 2");
    assertThatThrownBy(
            () -> CloudFormationTemplate.parse("Resources:\n  R:\n    Type: A\n    Type: B\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Duplicate key Type");
  }

  @Test
  void theRepositoryTemplateReadsWithItsIntrinsicsIntact() {
    var template = CloudFormationTemplate.fromClasspath();

    assertThat(template.resource("Table").get("Type").asText()).isEqualTo("AWS::DynamoDB::Table");
    assertThat(template.resource("SyncQueue").at("/Properties/RedrivePolicy/deadLetterTargetArn"))
        .isEqualTo(JSON.createObjectNode().set("Fn::GetAtt", JSON.createArrayNode().add("SyncDeadLetterQueue").add("Arn")));
    assertThat(template.tree().at("/Globals/Function/Environment/Variables/TABLE_NAME"))
        .isEqualTo(JSON.createObjectNode().put("Ref", "Table"));
  }
}
