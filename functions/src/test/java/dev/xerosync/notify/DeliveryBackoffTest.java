package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {
  @Test
  void retriesForTwentyFourHoursWaitingLongerEachTimeWithinSqsVisibilityLimit() {
    var b = DeliveryBackoff.STANDARD;
    assertThat(b.total()).isEqualTo(Duration.ofHours(24));
    assertThat(b.after(1)).isEqualTo(Duration.ofSeconds(5));
    for (int n = 2; n <= b.attempts(); n++) {
      assertThat(b.after(n)).isGreaterThan(b.after(n - 1));
      assertThat(b.after(n)).isLessThanOrEqualTo(Duration.ofHours(12));
    }
    assertThat(b.after(b.attempts() + 5)).isEqualTo(b.after(b.attempts()));
    assertThat(b.after(0)).isEqualTo(b.after(1));
  }

  @Test
  void theEventQueueDeadLettersAfterTheLastWait() throws Exception {
    String template = Files.readString(Path.of("..", "template.yaml"));
    var m = Pattern.compile("(?s)\\n  EventQueue:\\n.*?maxReceiveCount: (\\d+)").matcher(template);
    assertThat(m.find()).as("EventQueue's RedrivePolicy in template.yaml").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(DeliveryBackoff.STANDARD.attempts());
  }

  @Test
  void compressedDividesEveryWait() {
    var fast = DeliveryBackoff.STANDARD.compressed(1000);
    assertThat(fast.after(1)).isEqualTo(Duration.ofMillis(5));
    assertThat(fast.total()).isEqualTo(Duration.ofMillis(86_400));
  }
}
