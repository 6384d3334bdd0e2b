"""A long list a page at a time, at the cost of its page rather than of the whole list."""

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    """Django's Paginator (same numbers, same pages, same `get_page` past the last page),
    but a page's rows are those whose primary key is among the page's keys, found by a
    subquery with the filters, the ordering, OFFSET and LIMIT and nothing else — which an
    index on the ordering answers alone —: the rows skipped before a deep page are never
    joined nor their amounts computed. Still one query per page. The list must have one
    row per primary key (no join that repeats a row)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
