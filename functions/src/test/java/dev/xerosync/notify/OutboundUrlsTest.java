package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 5: the notification URLs the adversarial run got accepted, and more. */
class OutboundUrlsTest {
  private static final Map<String, String[]> DNS =
      Map.of(
          "169.254.169.254.nip.io", new String[] {"169.254.169.254"},
          "hooks.example.com", new String[] {"93.184.216.34"},
          "rebind.example.com", new String[] {"93.184.216.34", "127.0.0.1"},
          "v6.example.com", new String[] {"fd00:ec2::254"});

  private static final OutboundUrls STRICT = new OutboundUrls(false, OutboundUrlsTest::resolve);
  private static final OutboundUrls LOCAL = new OutboundUrls(true, OutboundUrlsTest::resolve);

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String[] addresses = DNS.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      out[i] = InetAddress.getByName(addresses[i]);
    }
    return out;
  }

  @Test
  void theAcceptedInternalUrlsOfTheRunAreRefusedWhenStored() {
    assertThat(STRICT.problem("http://127.0.0.1:18081/hook")).isNotNull();
    assertThat(STRICT.problem("http://[::1]:22/")).isNotNull();
    assertThat(STRICT.problem("https://user:pass@hooks.example.com/")).contains("user name");
    assertThat(STRICT.problem("http://hooks.example.com/")).contains("https");
    assertThat(STRICT.problem("https://127.0.0.1/")).contains("loopback");
    assertThat(STRICT.problem("https://[::1]/")).contains("loopback");
    assertThat(STRICT.problem("https://localhost/")).contains("loopback");
    assertThat(STRICT.problem("https://169.254.169.254/latest")).contains("metadata");
    assertThat(STRICT.problem("https://[::ffff:169.254.169.254]/")).contains("metadata");
    assertThat(STRICT.problem("https://[64:ff9b::a9fe:a9fe]/")).contains("metadata");
    assertThat(STRICT.problem("https://[fd00:ec2::254]/")).contains("private");
    assertThat(STRICT.problem("https://[fe80::1]/")).contains("link-local");
    assertThat(STRICT.problem("https://10.1.2.3/")).contains("private");
    assertThat(STRICT.problem("https://172.20.0.1/")).contains("private");
    assertThat(STRICT.problem("https://192.168.1.1/")).contains("private");
    assertThat(STRICT.problem("https://100.100.100.200/")).contains("carrier-grade");
    assertThat(STRICT.problem("https://0.0.0.0/")).isNotNull();
    assertThat(STRICT.problem("not a url")).isNotNull();
    assertThat(STRICT.problem("https://hooks.example.com/xero?x=1")).isNull();
  }

  @Test
  void namesAreResolvedAtSendTimeAndEveryAddressMustBePublic() {
    assertThat(STRICT.refusedAtSendTime(URI.create("https://169.254.169.254.nip.io/latest")))
        .contains("metadata");
    assertThat(STRICT.refusedAtSendTime(URI.create("https://rebind.example.com/")))
        .contains("loopback");
    assertThat(STRICT.refusedAtSendTime(URI.create("https://v6.example.com/"))).contains("private");
    assertThat(STRICT.refusedAtSendTime(URI.create("https://nowhere.example.com/")))
        .contains("resolve");
    assertThat(STRICT.refusedAtSendTime(URI.create("https://hooks.example.com/h"))).isNull();
  }

  @Test
  void theLocalStackMayAllowLoopbackAndNothingElse() {
    assertThat(LOCAL.problem("http://127.0.0.1:18081/hook")).isNull();
    assertThat(LOCAL.problem("http://localhost:18081/hook")).isNull();
    assertThat(LOCAL.problem("http://hooks.example.com/")).contains("https");
    assertThat(LOCAL.problem("https://10.1.2.3/")).contains("private");
    assertThat(LOCAL.refusedAtSendTime(URI.create("https://169.254.169.254.nip.io/")))
        .contains("metadata");
  }
}
