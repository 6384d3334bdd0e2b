from django.urls import path

from . import debtor_views

app_name = "debtors"
urlpatterns = [
    path("<int:debtor_id>/", debtor_views.debtor_detail, name="detail"),
    path("<int:debtor_id>/co-obliges/", debtor_views.co_obligor_add, name="co_obligor_add"),
    path(
        "<int:debtor_id>/co-obliges/<int:link_id>/retirer/",
        debtor_views.co_obligor_remove,
        name="co_obligor_remove",
    ),
]
