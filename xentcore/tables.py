"""HTML tables a reader can sort by any column, in the page itself (no remote script).

Each header cell holds a button (reachable and pressed by keyboard); pressing it sorts the table's rows by
that column, ascending then descending, and says so in the header's ``aria-sort``. A cell sorts by its
``data-sort`` attribute when it has one (a number for a score shown as "3/5"), else by its text; numbers
sort as numbers. Every cell's text is escaped here: callers pass plain strings, never markup, unless they
pass a :class:`Markup`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Markup:
    """Cell content that is already safe HTML (built by the caller from escaped parts)."""

    html: str
    sort: str | float | None = None


def _cell(value, tag: str, scope: str = "") -> str:
    if isinstance(value, Markup):
        sort = "" if value.sort is None else f' data-sort="{html.escape(str(value.sort))}"'
        return f"<{tag}{scope}{sort}>{value.html}</{tag}>"
    if isinstance(value, float):
        return f'<{tag}{scope} data-sort="{value!r}">{value:g}</{tag}>'
    return f"<{tag}{scope}>{html.escape(str(value))}</{tag}>"


def sortable_table(caption: str, header: list[str], rows: list[list], *, row_header: bool = True) -> str:
    """A table with a caption, sortable by any column; the first cell of each row is its row header."""
    heads = "".join(f'<th scope="col"><button type="button" class="sort">{html.escape(h)}</button></th>'
                    for h in header)
    body = []
    for row in rows:
        cells = [_cell(v, "th" if (i == 0 and row_header) else "td", ' scope="row"' if (i == 0 and row_header) else "")
                 for i, v in enumerate(row)]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="sortable"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table>")


SORT_STYLE = """
table.sortable th[scope=row] { font-weight: normal; background: none; }
button.sort { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer;
  color: #102a43; text-decoration: underline dotted; }
button.sort:focus { outline: 3px solid #2563eb; outline-offset: 2px; }
th[aria-sort=ascending] button.sort::after { content: " \\25B2"; }
th[aria-sort=descending] button.sort::after { content: " \\25BC"; }
.bar { display: inline-block; height: 0.8em; background: #8c2f39; vertical-align: middle; margin-right: 0.4rem; }
"""

SORT_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.querySelectorAll('thead th');
  heads.forEach(function (th, column) {
    th.querySelector('button.sort').addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column];
        var text = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
        var number = parseFloat(text);
        return (text !== '' && !isNaN(number) && isFinite(text)) ? [0, number] : [1, text.toLowerCase()];
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), order = 0;
        if (x[0] !== y[0]) { order = x[0] - y[0]; }
        else if (x[1] < y[1]) { order = -1; } else if (x[1] > y[1]) { order = 1; }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def sorting_assets() -> str:
    """The style and the (inline) script that make every ``table.sortable`` of a page sortable."""
    return f"<style>{SORT_STYLE}</style>\n<script>{SORT_SCRIPT}</script>"
