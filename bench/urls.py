"""The site's addresses and the benchmarks' bare view (bench.pages): login required, one
indexed query, a trivial template."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from cases.models import Case
from pnsr.urls import urlpatterns as site

BARE = engines["django"].from_string(
    "<!doctype html><title>nu</title><ul>{% for r in rows %}<li>{{ r }}</li>{% endfor %}</ul>"
)


@login_required
def bare(request):
    rows = list(Case.objects.order_by("pk").values_list("reference", flat=True)[:25])
    return HttpResponse(BARE.render({"rows": rows}, request))


urlpatterns = [path("__bench__/bare/", bare), *site]
