"""What the site's browser tests put in the example and look for: a document that tries to run
script every way markdown and HTML allow, two restricted documents, and the check that nothing
of a document ran on a page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.conftest import example_copy

if TYPE_CHECKING:
    from playwright.sync_api import Page

# A document whose title, fields and body try to run script every way markdown and HTML allow.
# Whatever runs sets window.__pwned (and the page's title): the tests assert nothing did.
HOSTILE_ID = "INS-0090"
HOSTILE_WORD = "zebrafinch"  # in its title and body only: a search finds it
HOSTILE = """\
---
id: INS-0090
title: "<script>__pwned='title'</script><img src=x onerror=\\"__pwned='img'\\"> Zebrafinch"
status: draft
owner: "<img src=x onerror=\\"__pwned='owner'\\">Eve"
created: 2026-01-05
tags: ["<script>__pwned='tag'</script>", "x\\" onmouseover=\\"__pwned='tag attr'"]
stage: purchase
---

## Summary

Zebrafinch research notes.

<script>window.__pwned = 'body script'; document.title = 'pwned';</script>
<img src="x" onerror="window.__pwned = 'onerror'; document.title = 'pwned'">
<svg onload="window.__pwned = 'svg onload'"><script>window.__pwned = 'svg script'</script></svg>
<iframe srcdoc="<script>parent.__pwned = 'iframe'</script>"></iframe>
<details open ontoggle="window.__pwned = 'ontoggle'"><summary>raw details</summary></details>
<a href="javascript:window.__pwned='raw link'">raw link</a>
<div style="background:url(javascript:window.__pwned='style')">raw div</div>

[markdown link](javascript:window.__pwned='markdown%20link') and
[mixed case link](JaVaScRiPt:window.__pwned='mixed') and
<javascript:window.__pwned='autolink'> and
[entity link](jav&#x61;script:window.__pwned='entity') and
[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+) and
![image](javascript:window.__pwned='image')

It builds on [[INS-0091]], which is restricted.

## Evidence

Zebrafinch interviews.

## Implications

None.
"""

# A document marked restricted, and one in a restricted folder: neither may appear anywhere.
RESTRICTED_IDS = ("INS-0091", "EXP-0091")
RESTRICTED_WORDS = ("quokkasecret", "wombatclassified")
RESTRICTED_INSIGHT = """\
---
id: INS-0091
title: Quokkasecret pricing interviews
status: draft
owner: Priya Raman
created: 2026-01-06
stage: purchase
visibility: restricted
---

## Summary

Quokkasecret: what the interviewees said about prices.
"""
RESTRICTED_EXPERIMENT = """\
---
id: EXP-0091
title: Wombatclassified price test
status: draft
owner: Priya Raman
created: 2026-01-07
stage: purchase
---

## Hypothesis

Wombatclassified.
"""


def hostile_copy(dest: Path) -> Path:
    """The example with the hostile document and the two restricted ones."""
    base = example_copy(dest)
    (base / "insights" / "INS-0090-hostile.md").write_text(HOSTILE, encoding="utf-8")
    (base / "insights" / "INS-0091-restricted.md").write_text(RESTRICTED_INSIGHT, "utf-8")
    private = base / "experiments" / "private"
    private.mkdir()
    (private / "EXP-0091-price-test.md").write_text(RESTRICTED_EXPERIMENT, encoding="utf-8")
    with (base / "cxlib.toml").open("a", encoding="utf-8") as config:
        config.write('\n[site]\nrestricted = ["experiments/private"]\n')
    return base


# What a hostile document could have left in a page: a script or frame of its own, an event
# handler attribute, a link or attribute with a scheme that runs or carries code.
LEFTOVERS = r"""() => {
  const out = [];
  for (const s of document.scripts) {
    if (!/\/(assets\/site\.js|pagefind\/[\w.-]+\.js)$/.test(s.src)) {
      out.push('script ' + (s.src || s.text.slice(0, 40)));
    }
  }
  for (const e of document.querySelectorAll('iframe, frame, object, embed, base')) {
    out.push(e.tagName);
  }
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) out.push(`${e.tagName} ${a.name}`);
      if (/^\s*(javascript|data|vbscript):/i.test(a.value)) {
        out.push(`${e.tagName} ${a.name}=${a.value.slice(0, 30)}`);
      }
    }
  }
  for (const a of document.links) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) out.push('link ' + a.href);
  }
  return out;
}"""


def assert_nothing_ran(page: Page, where: str) -> None:
    """No script of a document ran on ``page`` (nothing set window.__pwned or the title), and
    nothing is left that could run one."""
    assert page.evaluate("window.__pwned") is None, (where, page.evaluate("window.__pwned"))
    assert page.title() != "pwned", where
    assert page.evaluate(LEFTOVERS) == [], where
