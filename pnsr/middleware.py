"""Requests refused before any view runs."""

from urllib.parse import unquote

from .views import bad_request


class RefuseNulBytesMiddleware:
    """An address or query string with a NUL byte is a 400: PostgreSQL cannot compare a
    text with it, so every view looking a case, a token or a document up by it would
    fail (the forms refuse NUL bytes they are posted, in French, on their fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path or "\x00" in query:
            return bad_request(request)
        return self.get_response(request)
