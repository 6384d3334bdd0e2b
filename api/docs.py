"""The API's documentation page (/api/docs/) under the site's Content-Security-Policy:
swagger-ui's start-up script comes from its own address (`?script`) rather than inline,
and the page's few styles from a stylesheet."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
