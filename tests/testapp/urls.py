"""The example site's URLs plus the test app's views."""

from django.urls import include, path

from tests.testapp import views

urlpatterns = [
    path("testapp/categories/", views.create_category),
    path("testapp/categories/async/", views.acreate_category),
    path("testapp/categories/token/", views.token_create_category),
    path("testapp/categories/fail/", views.create_category_then_fail),
    path("", include("example_project.urls")),
]
