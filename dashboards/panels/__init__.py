"""The four dashboards, table by table, one module each; what their tables share is in
`common`. Every number is computed by the database (one grouped query per figure of a
table, never a loop over cases); Python only lays the groups out in rows, so a page
costs the same number of queries at any volume."""

from . import activity, opinions, results, risks
from .common import Dashboard

DASHBOARDS: dict[str, Dashboard] = {
    module.DASHBOARD.slug: module.DASHBOARD for module in (opinions, activity, results, risks)
}
