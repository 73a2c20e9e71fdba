package dev.xerosync.notify;

import dev.xerosync.common.Environment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Where the service may send a request that a SaaS tenant's admin chose (the notification URL):
 * https only, no userinfo, and a host that resolves, at send time, to public addresses only. Never
 * loopback, private, link-local (including the 169.254.169.254 metadata service), carrier-grade
 * NAT, unspecified or multicast ranges, in IPv4 or IPv6 (IPv4-mapped and NAT64 forms included).
 * Redirects are not followed at all (the HTTP client's default), so none can lead there either.
 *
 * <p>The local stack sets NOTIFICATION_ALLOW_LOOPBACK=true so its receiver on 127.0.0.1 (over http)
 * can be used; nothing else is relaxed by it.
 */
public final class OutboundUrls {
  /** Resolves a host name; tests pass their own. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final Resolver resolver;

  public OutboundUrls(boolean allowLoopback, Resolver resolver) {
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  public static OutboundUrls of(Environment env) {
    return new OutboundUrls(
        "true".equals(env.get("NOTIFICATION_ALLOW_LOOPBACK", "false")), InetAddress::getAllByName);
  }

  /** Why this URL cannot be a notification URL, or null when it can be stored. */
  public @Nullable String problem(@Nullable String url) {
    URI uri;
    try {
      uri = url == null ? null : new URI(url);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
      return "it is not an absolute URL with a host";
    }
    if (uri.getRawUserInfo() != null) {
      return "it carries a user name or password; put credentials in your receiver, not the URL";
    }
    String host = stripBrackets(uri.getHost());
    boolean loopbackHost = isLoopbackName(host) || isLoopbackLiteral(host);
    if (!"https".equalsIgnoreCase(uri.getScheme())
        && !(allowLoopback && loopbackHost && "http".equalsIgnoreCase(uri.getScheme()))) {
      return "it must use https";
    }
    // A literal address is judged now; a name is judged again at every send.
    if (looksLikeAddress(host)) {
      try {
        String refused = refused(InetAddress.getByName(host));
        if (refused != null) {
          return "it points at " + refused;
        }
      } catch (UnknownHostException e) {
        return "its host is not a valid address";
      }
    } else if (loopbackHost && !allowLoopback) {
      return "it points at a loopback address";
    }
    return null;
  }

  /** Resolves the URL's host now; why sending there is refused, or null when it is public. */
  public @Nullable String refusedAtSendTime(URI uri) {
    String problem = problem(uri.toString());
    if (problem != null) {
      return problem;
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(stripBrackets(uri.getHost()));
    } catch (UnknownHostException e) {
      return "its host does not resolve";
    }
    for (InetAddress a : addresses) {
      String refused = refused(a);
      if (refused != null) {
        return "its host resolves to " + refused;
      }
    }
    return null;
  }

  /** The kind of internal address this is, or null for a public one. */
  @Nullable String refused(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return allowLoopback ? null : "a loopback address";
    }
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 4 bytes.
      if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && b[3] == (byte) 0x9b) {
        return refusedV4(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "a private (unique local) address";
      }
      if (a.isLinkLocalAddress() || a.isSiteLocalAddress()) {
        return "a link-local address";
      }
      if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
        return "an unspecified or multicast address";
      }
      // IPv4-compatible ::a.b.c.d
      boolean zeroPrefix = true;
      for (int i = 0; i < 12; i++) {
        zeroPrefix &= b[i] == 0;
      }
      return zeroPrefix ? refusedV4(new byte[] {b[12], b[13], b[14], b[15]}) : null;
    }
    if (a instanceof Inet4Address) {
      return refusedV4(a.getAddress());
    }
    return "an unknown kind of address";
  }

  private @Nullable String refusedV4(byte[] b) {
    int o1 = b[0] & 0xff;
    int o2 = b[1] & 0xff;
    if (o1 == 127) {
      return allowLoopback ? null : "a loopback address";
    }
    if (o1 == 169 && o2 == 254) {
      return "a link-local or metadata address";
    }
    if (o1 == 10 || (o1 == 172 && o2 >= 16 && o2 <= 31) || (o1 == 192 && o2 == 168)) {
      return "a private address";
    }
    if (o1 == 100 && o2 >= 64 && o2 <= 127) {
      return "a carrier-grade NAT address";
    }
    if (o1 == 0 || o1 >= 224 || (o1 == 192 && o2 == 0 && (b[2] & 0xff) == 0)) {
      return "an unspecified, reserved or multicast address";
    }
    if (o1 == 198 && (o2 == 18 || o2 == 19)) {
      return "a benchmarking address";
    }
    return null;
  }

  private static boolean isLoopbackName(String host) {
    String h = stripBrackets(host).toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  private static boolean isLoopbackLiteral(String host) {
    try {
      return looksLikeAddress(host) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean looksLikeAddress(String host) {
    return host.contains(":") || host.matches("[0-9.]+") || host.matches("(?i)0x[0-9a-f.x]+");
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
