"""The GraphiQL console page, served entirely from vendored assets (no CDN)."""

import base64
import hashlib
import json
from html import escape
from pathlib import Path

ASSETS_DIR: Path = Path(__file__).parent / "static"

DEFAULT_QUERY = """\
{
  courses(limit: 5, sort: ["title"]) {
    id
    title
    credit_hours
    modules {
      title
    }
  }
}
"""

# The sha384 values Strawberry's own graphiql.html pins for the same releases; see
# static/graphiql/SOURCES.md. A file that drifts from them is refused by the browser.
_STYLESHEETS: tuple[tuple[str, str], ...] = (
    (
        "graphiql.min.css",
        "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    ),
    (
        "plugin-explorer.css",
        "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
    ),
)
_SCRIPTS: tuple[tuple[str, str], ...] = (
    (
        "react.production.min.js",
        "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    ),
    (
        "react-dom.production.min.js",
        "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    ),
    (
        "graphiql.min.js",
        "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    ),
    (
        "plugin-explorer.umd.js",
        "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
    ),
)

_STYLE = "body{margin:0;overflow:hidden}#graphiql{height:100vh}"

# Static, so that its CSP hash is a constant: per-page settings travel in the JSON
# block that precedes it, which browsers never execute.
_BOOT = """
const config = JSON.parse(document.getElementById("console-config").textContent);
const params = new URLSearchParams(location.search);
// Strawberry runs GET <graphql_path>?query=... instead of serving this page, so the
// query lives in ?q= (as on Strawberry's own page); GraphiQL's ?query= is taken too.
if (params.has("query")) {
  params.set("q", params.get("query"));
  params.delete("query");
}
const url = new URL(config.graphqlPath, location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";

function updateURL(key, value) {
  if (value) {
    params.set(key, value);
  } else {
    params.delete(key);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : location.pathname);
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({
      url: url.href,
      subscriptionUrl: subscriptionUrl.href,
    }),
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: config.defaultQuery,
    query: params.get("q") ?? undefined,
    variables: params.get("variables") ?? undefined,
    operationName: params.get("operationName") ?? undefined,
    onEditQuery: (value) => updateURL("q", value),
    onEditVariables: (value) => updateURL("variables", value),
    onEditOperationName: (value) => updateURL("operationName", value),
    isHeadersEditorEnabled: true,
    // Headers usually carry a bearer token: keep it out of localStorage.
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: params.has("variables") ? "variables" : "headers",
    inputValueDeprecation: true,
  }),
);
"""


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


CONSOLE_CSP = "; ".join(
    (
        "default-src 'none'",
        f"script-src 'self' {_csp_hash(_BOOT)}",
        f"style-src 'self' {_csp_hash(_STYLE)}",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


def render_console(
    graphql_path: str = "/graphql", assets_url: str = "/assets/graphiql"
) -> str:
    """Return the console page for the GraphQL endpoint at ``graphql_path``.

    Send it with a ``Content-Security-Policy: CONSOLE_CSP`` header.
    """
    base = escape(assets_url.rstrip("/"))
    stylesheets = "".join(
        f'\n    <link rel="stylesheet" href="{base}/{name}" integrity="{sri}">'
        for name, sri in _STYLESHEETS
    )
    scripts = "".join(
        f'\n    <script src="{base}/{name}" integrity="{sri}"></script>'
        for name, sri in _SCRIPTS
    )
    # "<" escaped so that no value can close the <script> element early.
    config = json.dumps(
        {"graphqlPath": graphql_path, "defaultQuery": DEFAULT_QUERY}
    ).replace("<", "\\u003c")
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>lexstack console</title>
    <link rel="icon" href="data:,">{stylesheets}
    <style>{_STYLE}</style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>{scripts}
    <script id="console-config" type="application/json">{config}</script>
    <script>{_BOOT}</script>
  </body>
</html>
"""
