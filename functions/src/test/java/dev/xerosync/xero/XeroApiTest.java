package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class XeroApiTest {
    @Test
    void cutsIdListsToFitXerosUrlLimitWithoutLosingOrRepeatingAny() {
        List<String> ids = IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID().toString()).toList();
        List<List<String>> chunks = XeroApi.chunkForQuery(ids);
        assertThat(chunks).allSatisfy(c -> assertThat(String.join(",", c).length()).isLessThanOrEqualTo(XeroApi.MAX_IDS_QUERY_LENGTH));
        List<String> rejoined = new ArrayList<>();
        chunks.forEach(rejoined::addAll);
        assertThat(rejoined).isEqualTo(ids);
        // As few calls as the limit allows: every chunk but the last is full.
        assertThat(chunks.size()).isEqualTo((int) Math.ceil(1000 * 37.0 / (XeroApi.MAX_IDS_QUERY_LENGTH + 1)));
    }

    @Test
    void aShortListIsOneCall() {
        assertThat(XeroApi.chunkForQuery(List.of("a", "b"))).containsExactly(List.of("a", "b"));
        assertThat(XeroApi.chunkForQuery(List.of())).isEmpty();
    }
}
