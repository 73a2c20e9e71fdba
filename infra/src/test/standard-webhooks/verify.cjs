// Verifies deliveries with the standardwebhooks package, as a consumer would.
// stdin: [{"secret": "whsec_…", "headers": {"webhook-id": …}, "body": "<raw body>"}, …]
// stdout: [{"id": "<webhook-id>", "ok": true} | {"id": …, "ok": false, "error": "…"}, …]
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ secret, headers, body }) => {
    try {
      new Webhook(secret).verify(body, headers);
      return { id: headers["webhook-id"], ok: true };
    } catch (e) {
      return { id: headers["webhook-id"], ok: false, error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
