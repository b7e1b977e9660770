"""URLs of the activity log's request tests."""

from django.urls import path

from tests.dash_activity_log import views

urlpatterns = [
    path("authors/", views.add_author),
    path("authors/two/", views.add_two_authors),
    path("authors/two/async/", views.aadd_two_authors),
    path("authors/token/", views.token_add_author),
    path("signed-in/", views.sign_in_notice),
]
