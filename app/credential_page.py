"""The page a person reads at a credential's URL: who earned what, from whom, when.

Everything on it comes from the signed credential and the verification of
it, and every value is escaped: titles and names are typed by users. The
page runs no script and loads nothing; its one inline style is allowed by
its hash in a Content-Security-Policy that forbids everything else.
"""

import base64
import hashlib
from html import escape
from typing import Any

from app.services import signing
from app.services.verification import Report

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f5f4;color:#1c1917}
main{max-width:46rem;margin:2rem auto;padding:2rem;background:#fff;
border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.75rem;margin:.5rem 0}h2{font-size:1.15rem;margin-top:2rem}
.state{display:inline-block;padding:.2rem .7rem;border-radius:1rem;font-weight:600}
.valid{background:#dcfce7;color:#14532d}.expired{background:#fef9c3;color:#713f12}
.revoked,.invalid{background:#fee2e2;color:#7f1d1d}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.narrative{white-space:pre-wrap}table{border-collapse:collapse}
td,th{padding:.25rem .75rem;border-bottom:1px solid #e7e5e4;text-align:left}
.checks li{margin:.25rem 0}a{color:#1d4ed8}
.linkedin{display:inline-block;margin-top:1.5rem;padding:.5rem 1rem;
background:#0a66c2;color:#fff;border-radius:.3rem;text-decoration:none}
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{_STYLE_HASH}'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATES = {
    "valid": "Valid",
    "expired": "Expired",
    "revoked": "Revoked",
    "invalid": "Not valid",
}
MARKS = {True: "passed", False: "failed", None: "not checked"}


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _day(timestamp: str | None) -> str:
    return timestamp[:10] if timestamp else ""


def _state_line(report: Report, revoked_on: str | None) -> str:
    label = STATES[report.state]
    if report.state == "revoked" and revoked_on:
        label = f"Revoked on {revoked_on}"
    elif report.state == "expired":
        label = f"Expired on {_day((report.credential or {}).get('validUntil'))}"
    return f'<p class="state {_e(report.state)}" role="status">{_e(label)}</p>'


def _results(subject: dict[str, Any], achievement: dict[str, Any]) -> str:
    described = {d["id"]: d for d in achievement.get("resultDescription", [])}
    items = []
    for result in subject.get("result", []):
        description = described.get(result.get("resultDescription"), {})
        name = description.get("name", "Result")
        if "value" in result:
            items.append(f"<li>{_e(name)}: {_e(result['value'])}%</li>")
        else:
            items.append(f"<li>{_e(name)}</li>")
    if not items:
        return ""
    return "<h2>Results</h2><ul>" + "".join(items) + "</ul>"


def _credits(subject: dict[str, Any]) -> str:
    rows = [
        f"<tr><td>{_e(c['jurisdiction'])}</td><td>{_e(c['category'])}</td>"
        f"<td>{float(c['hours']):.2f}</td></tr>"
        for c in subject.get("cleCredits", [])
    ]
    if not rows:
        return ""
    return (
        "<h2>CLE credit earned</h2><table><thead><tr><th>Jurisdiction</th>"
        "<th>Category</th><th>Hours</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _parts(credential: dict[str, Any]) -> str:
    items = [
        f'<li><a href="{_e(part["id"])}">{_e(part.get("name", part["id"]))}</a>: '
        f"{_e(part.get('description', ''))}</li>"
        for part in credential.get("evidence", [])
    ]
    if not items:
        return ""
    return "<h2>Earned by completing</h2><ul>" + "".join(items) + "</ul>"


def _alignments(achievement: dict[str, Any]) -> str:
    names = [a["targetName"] for a in achievement.get("alignment", [])]
    if not names:
        return ""
    return f"<dt>Practice areas</dt><dd>{_e(', '.join(names))}</dd>"


def render(
    report: Report,
    *,
    revoked_on: str | None,
    linkedin: str,
    organization_id: Any,
) -> str:
    """The whole page for a credential this lexstack issued."""
    credential = report.credential or {}
    subject = credential.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    names = [i["identityHash"] for i in subject.get("identifier", [])]
    learner = names[0] if names else "the holder"
    issuer = credential.get("issuer", {})
    issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else issuer
    kind = (
        "Certificate (pathway)"
        if achievement.get("achievementType") == "Certificate"
        else "Micro-credential"
    )
    url = credential.get("id", "")
    checks = "".join(
        f"<li><strong>{_e(c.name)}</strong>: {_e(MARKS[c.ok])}. {_e(c.detail)}</li>"
        for c in report.checks
    )
    valid_until = _day(credential.get("validUntil")) or "No end date"
    title = f"{achievement.get('name', '')}: {learner}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="alternate" type="application/json" href="{_e(url)}.json">
<style>{STYLE}</style></head>
<body><main>
{_state_line(report, revoked_on)}
<h1>{_e(achievement.get("name", ""))}</h1>
<p>Earned by <strong>{_e(learner)}</strong>, issued by
<strong>{_e(issuer_name)}</strong>.</p>
<dl>
<dt>Awarded</dt><dd>{_e(_day(credential.get("validFrom")))}</dd>
<dt>Valid until</dt><dd>{_e(valid_until)}</dd>
<dt>Kind</dt><dd>{_e(kind)}</dd>
{_alignments(achievement)}
<dt>Credential</dt><dd>{_e(url)}</dd>
</dl>
<h2>About</h2><p>{_e(achievement.get("description", ""))}</p>
<h2>Criteria</h2>
<p class="narrative">{_e(achievement.get("criteria", {}).get("narrative", ""))}</p>
{_results(subject, achievement)}
{_credits(subject)}
{_parts(credential)}
<h2>Verification</h2>
<ul class="checks">{checks}</ul>
<p>An Open Badges 3.0 credential, signed as a VC-JWT (RS256) by the issuer's key.
Verify it yourself against the issuer's
<a href="{_e(signing.jwks_url(organization_id))}">public keys</a>:
<a href="{_e(url)}.jwt">VC-JWT</a> &middot; <a href="{_e(url)}.json">JSON</a>.</p>
<a class="linkedin" href="{_e(linkedin)}" target="_blank"
rel="noopener noreferrer">Add to LinkedIn profile</a>
</main></body></html>
"""


def not_found() -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>No such credential</title>
<style>{STYLE}</style></head>
<body><main><h1>No such credential</h1>
<p>No credential was issued at this address.</p></main></body></html>
"""
