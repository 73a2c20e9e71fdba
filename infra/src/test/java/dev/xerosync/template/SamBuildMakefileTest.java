package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `sam build` needs from this repository (the SAM CLI itself cannot be installed here): each
 * function builds with BuildMethod makefile from CodeUri ".", where make has a build-<LogicalId>
 * target, and that target leaves in ARTIFACTS_DIR a package Lambda's Java runtime can run (the
 * deployment jar in lib/, holding the function's handler class).
 */
class SamBuildMakefileTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyFunctionBuildsWithTheMakefileAtItsCodeUri() throws Exception {
    for (var fn : SamTemplate.load().functions()) {
      assertThat(fn.property("CodeUri").asText()).as(fn.id() + " CodeUri").isEqualTo(".");
      assertThat(SamTemplate.load().resource(fn.id()).path("Metadata").path("BuildMethod").asText())
          .as(fn.id() + " Metadata BuildMethod")
          .isEqualTo("makefile");
      // make knows the target SAM asks for (a dry run: nothing is built).
      Process dry = make(List.of("-n", "build-" + fn.id(), "ARTIFACTS_DIR=/tmp/x"));
      assertThat(dry.waitFor()).as("make -n build-" + fn.id()).isZero();
    }
  }

  @Test
  void aTargetLeavesTheDeploymentJarWithEveryHandlerInArtifactsDir(@TempDir Path artifacts)
      throws Exception {
    var functions = SamTemplate.load().functions();
    Process build = make(List.of("build-" + functions.get(0).id(), "ARTIFACTS_DIR=" + artifacts));
    String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(build.waitFor(15, TimeUnit.MINUTES)).isTrue();
    assertThat(build.exitValue()).as(output).isZero();
    List<Path> jars;
    try (var list = Files.list(artifacts.resolve("lib"))) {
      jars = list.toList();
    }
    assertThat(jars).hasSize(1);
    try (ZipFile jar = new ZipFile(jars.get(0).toFile())) {
      for (var fn : functions) {
        assertThat(jar.getEntry(fn.handlerClass().replace('.', '/') + ".class"))
            .as(fn.id() + "'s handler in the package")
            .isNotNull();
      }
    }
  }

  @Test
  void theBuildOutputIsNotCommitted() throws IOException {
    assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".aws-sam/");
  }

  private static Process make(List<String> args) throws IOException {
    var command = new java.util.ArrayList<>(List.of("make", "--no-print-directory"));
    command.addAll(args);
    return new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
  }
}
