"""The GraphiQL page: Strawberry's, opening on a campusgraph example, and in the demo with a token in its headers.

Its scripts come from unpkg.com: where they cannot load, the page says so instead of "Loading..." for ever.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

# Shown until GraphiQL's scripts (from unpkg.com) start it; it stays when the browser cannot reach unpkg.com.
OFFLINE = ("Loading GraphiQL from unpkg.com&hellip; If this stays, the browser cannot reach unpkg.com: "
           "send queries with curl instead, as a POST of JSON to this URL with an Authorization header "
           "(see the README).")

# The editor's first text (unless the URL carries a query). d59951y is the Dartmouth documents' own sample
# student, present in every sandbox world; against real vendors it is simply null.
WELCOME = """# campusgraph: one GraphQL endpoint over Dartmouth, HUBmis and Stellic.
#
# Each field's description (Docs, or hover over it) names the vendor its data comes from.
# Requests need an Authorization header ("Headers" below). Run with Ctrl-Enter;
# Ctrl-Space completes. More examples are in the README.

{
  student(netid: "d59951y") {
    id netid firstName lastName status
    sources { vendor id }
    holds { code note type { description } }
    enrollments(activeOnly: true) { role section { code name } }
    stellic { engagementScore }
  }
  vendors { vendor circuit rateRemaining }
}
"""

HeaderSource = Callable[[], dict[str, str]]

# The page is framed by no other page and kept by no cache: in the demo it carries a token.
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                "Content-Security-Policy": "frame-ancestors 'none'", "Referrer-Policy": "no-referrer"}
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def asked_by_loopback_name(host: str) -> bool:
    """Whether the page was asked for by a loopback name (its ``Host``). A page of another site whose name was made
    to resolve to 127.0.0.1 (DNS rebinding) reaches the demo with its own name there, and may then read what it is
    served: the demo's token goes only to pages asked for as 127.0.0.1, localhost or [::1]."""
    try:
        return urlsplit(f"//{host}").hostname in LOOPBACK_NAMES
    except ValueError:
        return False


def page(strawberry_html: str, headers: HeaderSource | None = None) -> str:
    """Strawberry's GraphiQL page with our placeholder and first query, and ``headers()`` (asked anew for each
    page, so a token in them is fresh) in its request headers."""
    start = strawberry_html.index("const EXAMPLE_QUERY = `")
    end = strawberry_html.index("`;", start)
    welcome = WELCOME.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    html = (strawberry_html[:start] + f"const EXAMPLE_QUERY = `{welcome}" + strawberry_html[end:]).replace(
        ">Loading...</div>", f">{OFFLINE}</div>")
    if headers is None:
        return html
    encoded = json.dumps(headers())
    return html.replace("const defaultHeaders = {};", f"const defaultHeaders = {encoded};").replace(
        "React.useState(parameters.headers)", f"React.useState(parameters.headers || {json.dumps(encoded)})")
