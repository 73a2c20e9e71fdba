package dev.xerosync.infra.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The frame every demo CRM page shares: the head that loads one of our components from the API, the
 * CRM's navigation, and the Content-Security-Policy that lets the page run that script and call the
 * API, and nothing else.
 */
final class DemoPage {
  private static final List<Map.Entry<String, String>> NAV =
      List.of(
          Map.entry("/records/contact/crm-acme", "Contacts"),
          Map.entry("/records/deal/deal-globex", "Deals"),
          Map.entry("/integrations", "Integrations"));

  private DemoPage() {}

  /**
   * Sends the page: {@code module} is the component's script under the API's {@code /panel/},
   * {@code current} the navigation link marked as this page (none when null), {@code main} the
   * page's {@code <main>} element, and {@code connectSrc} what the page may connect to besides its
   * own origin and the API's.
   */
  static void send(
      HttpExchange x,
      URI apiUrl,
      String title,
      String module,
      @Nullable String current,
      String main,
      String connectSrc)
      throws IOException {
    String apiOrigin = apiUrl.getScheme() + "://" + apiUrl.getAuthority();
    String html =
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%2$s · Demo CRM</title>
        <link rel="stylesheet" href="/crm.css">
        <script type="module" src="%1$s/panel/%3$s"></script>
        </head>
        <body>
        <nav aria-label="CRM"><strong>Demo CRM</strong>%4$s</nav>
        %5$s
        </body>
        </html>
        """
            .formatted(apiUrl, title, module, nav(current), main.strip());
    DemoCrm.send(
        x,
        200,
        "text/html; charset=utf-8",
        html,
        Map.of(
            "Content-Security-Policy",
            "default-src 'none'; script-src "
                + apiOrigin
                + "; connect-src 'self' "
                + apiOrigin
                + connectSrc
                + "; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"));
  }

  private static String nav(@Nullable String current) {
    StringBuilder links = new StringBuilder();
    for (Map.Entry<String, String> link : NAV) {
      links
          .append("<a href=\"")
          .append(link.getKey())
          .append(link.getKey().equals(current) ? "\" aria-current=\"page\">" : "\">")
          .append(link.getValue())
          .append("</a>");
    }
    return links.toString();
  }
}
