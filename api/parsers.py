"""DRF's JSON parser, with a French 400 for a body nested too deep for Python's decoder
(DRF lets its RecursionError through as a server error)."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class TooDeep(ParseError):
    default_detail = "Le corps de la requête est trop imbriqué."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise TooDeep() from None
