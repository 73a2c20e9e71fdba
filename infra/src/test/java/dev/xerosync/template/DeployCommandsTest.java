package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deploy commands README and docs/ give work as written: a non-guided `sam deploy` gives every
 * parameter without a default (CloudFormation refuses it otherwise) and only parameters that exist,
 * with the capability SAM's roles need; every output, resource and function the commands or the
 * text name exists in template.yaml, and no command names a function by a guessed physical name
 * (CloudFormation adds a random suffix).
 */
class DeployCommandsTest {
  private static final Path ROOT = Path.of("..");
  private static final List<String> PAGES =
      List.of("README.md", "docs/deploy.md", "docs/operations.md", "docs/connect.md");
  private static final SamTemplate TEMPLATE = SamTemplate.load();

  /** The shell blocks of a page, continuation lines joined. */
  private static List<String> commands(String page) throws IOException {
    List<String> commands = new ArrayList<>();
    Matcher block =
        Pattern.compile("```(?:sh|bash)\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(ROOT.resolve(page)));
    while (block.find()) {
      String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
      for (String line : joined.split("\\n")) {
        commands.add(line.strip());
      }
    }
    return commands;
  }

  @Test
  void everyNonGuidedDeployGivesEveryParameterWithoutADefault() throws IOException {
    Set<String> required = new LinkedHashSet<>();
    Set<String> known = new LinkedHashSet<>();
    TEMPLATE
        .tree()
        .path("Parameters")
        .properties()
        .forEach(
            p -> {
              known.add(p.getKey());
              if (!p.getValue().has("Default")) {
                required.add(p.getKey());
              }
            });
    int deploys = 0;
    for (String page : PAGES) {
      for (String command : commands(page)) {
        if (!command.startsWith("sam deploy") || command.contains("--guided")) {
          continue;
        }
        deploys++;
        assertThat(command).as(page + ": " + command).contains("--parameter-overrides");
        assertThat(command).as(page).contains("--capabilities CAPABILITY_IAM");
        assertThat(command).as(page).contains("--stack-name ");
        Set<String> given = new LinkedHashSet<>();
        Matcher m =
            Pattern.compile("(?<=\\s)([A-Za-z][A-Za-z0-9]*)=")
                .matcher(command.substring(command.indexOf("--parameter-overrides")));
        while (m.find()) {
          given.add(m.group(1));
        }
        assertThat(given).as(page + ": parameters given").containsAll(required);
        assertThat(known).as(page + ": parameters that exist").containsAll(given);
      }
    }
    assertThat(deploys).as("non-guided sam deploy commands").isGreaterThanOrEqualTo(2);
  }

  @Test
  void everyOutputResourceAndFunctionTheDocsNameExists() throws IOException {
    Set<String> outputs = new LinkedHashSet<>();
    TEMPLATE.tree().path("Outputs").fieldNames().forEachRemaining(outputs::add);
    Set<String> resources = new LinkedHashSet<>();
    TEMPLATE.tree().path("Resources").fieldNames().forEachRemaining(resources::add);
    for (String page : PAGES) {
      String text = Files.readString(ROOT.resolve(page));
      Matcher output = Pattern.compile("`(\\w+)` outputs?\\b|OutputKey=='(\\w+)'").matcher(text);
      while (output.find()) {
        String name = output.group(1) != null ? output.group(1) : output.group(2);
        assertThat(outputs).as(page + " names the output " + name).contains(name);
      }
      Matcher logical = Pattern.compile("--logical-resource-id (\\w+)").matcher(text);
      while (logical.find()) {
        assertThat(resources).as(page + " names the resource").contains(logical.group(1));
      }
      for (String command : commands(page)) {
        Matcher fn = Pattern.compile("--function-name (\\S+)").matcher(command);
        while (fn.find()) {
          assertThat(fn.group(1))
              .as(page + ": a function's name comes from the stack, not a guess: " + command)
              .matches("\"?\\$.*");
        }
      }
    }
  }
}
