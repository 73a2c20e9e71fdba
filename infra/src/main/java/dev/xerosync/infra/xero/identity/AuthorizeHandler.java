package dev.xerosync.infra.xero.identity;

import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The login and consent step (GET/POST /identity/connect/authorize). GET shows a consent form
 * listing the organisations; POST (the form) issues a code and redirects back with code, scope and
 * state. Scripted tests can skip the form: GET with sim_consent=all or
 * sim_consent=tenantId1,tenantId2 consents at once. sim_user names the consenting user so repeat
 * consents accumulate connections like one Xero login would. PKCE: a code_challenge must use S256,
 * and the token request must then present the verifier.
 */
public final class AuthorizeHandler implements Route {
  private static final List<String> CARRIED =
      List.of(
          "response_type",
          "client_id",
          "redirect_uri",
          "scope",
          "state",
          "code_challenge",
          "code_challenge_method",
          "sim_user");

  private final IdentityStore store;
  private final Supplier<Map<String, String>> organisations;

  public AuthorizeHandler(IdentityStore store, Supplier<Map<String, String>> organisations) {
    this.store = store;
    this.organisations = organisations;
  }

  @Override
  public SimResponse handle(SimRequest req) {
    Map<String, List<String>> p =
        req.method().equals("POST") ? multi(req.bodyText()) : multi(rawQuery(req));
    String clientId = first(p, "client_id");
    String redirect = first(p, "redirect_uri");
    if (clientId == null || store.app(clientId).isEmpty()) {
      return page(400, "<p>unauthorized_client: unknown client_id</p>");
    }
    if (redirect == null) {
      return page(400, "<p>invalid_request: redirect_uri is required</p>");
    }
    // Never redirect to a URI the app did not register: Xero shows an error page instead.
    if (!store.redirectAllowed(clientId, redirect)) {
      return page(400, "<p>unauthorized_client: Invalid redirect_uri</p>");
    }
    if (!"code".equals(first(p, "response_type"))) {
      return redirectError(redirect, "unsupported_response_type", first(p, "state"));
    }
    String challenge = first(p, "code_challenge");
    if (challenge != null && !"S256".equals(first(p, "code_challenge_method"))) {
      return redirectError(redirect, "invalid_request", first(p, "state"));
    }
    if (challenge == null && store.app(clientId).get().clientSecret() == null) {
      return redirectError(redirect, "invalid_request", first(p, "state"));
    }
    List<String> tenants = new ArrayList<>();
    String auto = first(p, "sim_consent");
    if (auto != null) {
      tenants.addAll(
          auto.equals("all") ? organisations.get().keySet() : Arrays.asList(auto.split(",")));
    } else if (req.method().equals("POST")) {
      tenants.addAll(p.getOrDefault("tenant", List.of()));
      if (p.containsKey("deny")) {
        return redirectError(redirect, "access_denied", first(p, "state"));
      }
    } else {
      return consentForm(p);
    }
    tenants.removeIf(t -> !organisations.get().containsKey(t));
    if (tenants.isEmpty()) {
      return redirectError(redirect, "access_denied", first(p, "state"));
    }
    String scope = first(p, "scope");
    String code =
        store.issueCode(clientId, redirect, scope, tenants, first(p, "sim_user"), challenge);
    StringBuilder loc =
        new StringBuilder(redirect)
            .append(redirect.contains("?") ? "&" : "?")
            .append("code=")
            .append(enc(code));
    if (scope != null) {
      loc.append("&scope=").append(enc(scope));
    }
    if (first(p, "state") != null) {
      loc.append("&state=").append(enc(first(p, "state")));
    }
    loc.append("&session_state=").append(enc(java.util.UUID.randomUUID().toString()));
    return SimResponse.empty(302).header("Location", loc.toString());
  }

  private SimResponse consentForm(Map<String, List<String>> p) {
    StringBuilder html =
        new StringBuilder(
                "<!doctype html><html><head><title>Xero Simulator - Allow access</title></head><body>")
            .append("<h1>")
            .append(esc(store.app(first(p, "client_id")).get().name()))
            .append(" wants to access your Xero organisations</h1>")
            .append("<form method=\"post\" action=\"/identity/connect/authorize\">");
    for (String k : CARRIED) {
      String v = first(p, k);
      if (v != null) {
        html.append("<input type=\"hidden\" name=\"")
            .append(k)
            .append("\" value=\"")
            .append(esc(v))
            .append("\">");
      }
    }
    organisations
        .get()
        .forEach(
            (id, name) ->
                html.append("<label><input type=\"checkbox\" name=\"tenant\" value=\"")
                    .append(esc(id))
                    .append("\"> ")
                    .append(esc(name))
                    .append("</label><br>"));
    html.append("<button type=\"submit\" name=\"allow\" value=\"1\">Allow access</button> ")
        .append(
            "<button type=\"submit\" name=\"deny\" value=\"1\">Cancel</button></form></body></html>");
    return page(200, html.toString());
  }

  private static SimResponse redirectError(String redirect, String error, String state) {
    String loc =
        redirect
            + (redirect.contains("?") ? "&" : "?")
            + "error="
            + error
            + (state == null ? "" : "&state=" + enc(state));
    return SimResponse.empty(302).header("Location", loc);
  }

  private static SimResponse page(int status, String body) {
    return SimResponse.text(status, "text/html; charset=utf-8", body);
  }

  private static String rawQuery(SimRequest req) {
    int q = req.rawTarget().indexOf('?');
    return q < 0 ? "" : req.rawTarget().substring(q + 1);
  }

  private static Map<String, List<String>> multi(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String first(Map<String, List<String>> p, String k) {
    List<String> v = p.get(k);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
