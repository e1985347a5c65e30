"""Text from files and documents made safe to print on a terminal.

A file name or a weakness bullet can carry control characters: ESC sequences that retitle
the terminal or clear the screen, BEL, C1 controls (``\\x9b`` is a one-byte CSI on some
terminals), bidi overrides that reverse what follows, a newline that breaks one-line-per-file
output. Everything printed for people passes through ``escape_controls`` (the CLI's output
choke point and the messages naming files), which writes each such character as a visible
``\\xNN`` / ``\\uNNNN`` escape; JSON keeps its own escaping (``json_safe``).
"""

from __future__ import annotations

import re

# C0 and DEL and C1; line and paragraph separators; bidi embeddings, overrides and isolates.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_BUT_LAYOUT = re.compile(f"[{_CONTROLS.replace(chr(0) + '-' + chr(0x1f), chr(0) + '-' + chr(8) + chr(11) + '-' + chr(0x1f))}]")
# JSON escapes C0 itself; C1 and the Unicode controls it leaves raw.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep_layout: bool = False) -> str:
    """``text`` with every control character written as a visible escape.

    ``keep_layout`` leaves newlines and tabs alone (whole reports, whose line breaks are
    their own); names and one-line messages escape them too.
    """
    pattern = _CONTROL_BUT_LAYOUT if keep_layout else _ANY_CONTROL
    return pattern.sub(_escape, text) if pattern.search(text) else text


def json_safe(text: str) -> str:
    """JSON text (already escaping C0) with C1 and Unicode controls escaped as ``\\uNNNN``:
    still valid JSON meaning the same, but harmless on a terminal."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if _JSON_RAW.search(text) else text


__all__ = ["escape_controls", "json_safe"]
