from django import template

register = template.Library()


@register.filter
def zip_columns(cells, columns):
    return zip(cells, columns, strict=True)


@register.filter
def cell_text(cell, column) -> str:
    return cell.display(column.kind)
