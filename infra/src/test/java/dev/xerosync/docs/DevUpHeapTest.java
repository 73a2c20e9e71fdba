package dev.xerosync.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 29, finding 10: {@code ./dev up}'s JVM had no maximum heap and held 3.3 GB after a load.
 * The script caps it, and README states the cap and the knob that changes it.
 */
class DevUpHeapTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void devUpCapsItsHeapAtWhatReadmeStates() throws IOException {
    String dev = Files.readString(ROOT.resolve("dev"));
    Matcher up =
        Pattern.compile(
                "exec java [^\\n]*-Xmx\"\\$\\{DEV_UP_HEAP:-(\\d+)([gm])}\"[^\\n]*demo\\.Demo")
            .matcher(dev);
    assertThat(up.find()).as("./dev up starts the demo JVM with -Xmx${DEV_UP_HEAP:-…}").isTrue();
    long megabytes = Long.parseLong(up.group(1)) * (up.group(2).equals("g") ? 1024 : 1);
    assertThat(megabytes).as("the local stack's default heap cap").isBetween(256L, 2048L);

    String readme = Files.readString(ROOT.resolve("README.md")).replaceAll("\\s+", " ");
    String stated = megabytes % 1024 == 0 ? megabytes / 1024 + " GB" : megabytes + " MB";
    assertThat(readme)
        .as("README states the cap and DEV_UP_HEAP")
        .contains("caps at " + stated)
        .contains("`DEV_UP_HEAP`");
  }
}
