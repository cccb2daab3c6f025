"""Keyboard-only browsing in the browser tests: what has the focus, Tab until a control has it,
and whether the focus ring shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FOCUSED = """() => {
    const e = document.activeElement;
    return {
        tag: e.tagName.toLowerCase(), id: e.id || "", name: e.getAttribute("name") || "",
        type: e.getAttribute("type") || "", value: e.value === undefined ? "" : String(e.value),
        text: (e.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60),
        checked: !!e.checked,
        href: e.getAttribute("href") || "",
    };
}"""

# A focus indicator on the element itself, or — for DKFDS's checkboxes and radios, where the
# real input is hidden — on the ::before box of its label that draws the control.
FOCUS_RING = """() => {
    const visible = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== "none");
    const e = document.activeElement;
    const own = getComputedStyle(e);
    if (own.opacity !== "0" && own.visibility !== "hidden") return visible(own);
    const label = e.id && document.querySelector(`label[for="${e.id}"]`);
    return !!label && visible(getComputedStyle(label, "::before"));
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def describe(info: dict[str, Any]) -> str:
    return f"{info['tag']}#{info['id']}[{info['name']}] {info['text']!r}"


def tab_to(
    page: Any, wanted: Callable[[dict[str, Any]], bool], *, limit: int = 60, back: bool = False
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if wanted(info):
            return info
        seen.append(describe(info))
    raise AssertionError("never reached; focus went through:\n" + "\n".join(seen))


def by_id(element_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda info: info["id"] == element_id


def by_text(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda info: info["text"] == text


def assert_focus_visible(page: Any) -> None:
    assert page.evaluate(FOCUS_RING), f"no visible focus on {describe(focused(page))}"


def type_into(page: Any, element_id: str, text: str) -> None:
    tab_to(page, by_id(element_id))
    assert_focus_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
