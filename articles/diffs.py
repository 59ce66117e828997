"""Line diffs between two snapshots of an article, for editors and reviewers."""

import difflib


def content_diffs(before: dict, after: dict) -> list[dict]:
    """A line diff per field that differs between two snapshots."""
    diffs = []
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        old_lines, new_lines = _lines(old), _lines(new)
        lines = list(difflib.unified_diff(old_lines, new_lines, "before", "after", lineterm="", n=2))[2:]
        diffs.append({"field": name, "lines": lines})
    return diffs


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines()
