package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistoryLookupTest {
  @Test
  void aBatchOfShortNumbersIsOneLookup() {
    List<String> numbers = IntStream.range(0, 50).mapToObj(i -> "web-" + i).toList();
    assertThat(WriteExecutor.lookupGroups(numbers)).containsExactly(String.join(",", numbers));
  }

  @Test
  void longNumbersAreSplitSoNoUrlGrowsTooLongAndNoneIsLost() {
    List<String> numbers = IntStream.range(0, 50).mapToObj(i -> i + "-" + "x".repeat(250)).toList();
    List<String> groups = WriteExecutor.lookupGroups(numbers);
    assertThat(groups).hasSizeGreaterThan(1).allMatch(g -> g.length() <= 1_500);
    assertThat(groups.stream().flatMap(g -> List.of(g.split(",")).stream()).toList())
        .isEqualTo(numbers);
  }
}
