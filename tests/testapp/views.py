"""Views that save a model the ways projects do, for the causer tests."""

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse

from tests.testapp.models import Category


def create_category(request: HttpRequest) -> JsonResponse:
    category = Category.objects.create(name=request.POST["name"])
    return JsonResponse({"pk": category.pk})


async def acreate_category(request: HttpRequest) -> JsonResponse:
    category = await Category.objects.acreate(name=request.POST["name"])
    return JsonResponse({"pk": category.pk})


def token_create_category(request: HttpRequest) -> HttpResponse:
    # Authenticates inside the view, after every middleware has run, the way
    # Django REST framework's token authentication sets request.user.
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    user = authenticate(request, api_key=key)
    if user is None:
        return HttpResponse(status=401)
    request.user = user
    return create_category(request)


def create_category_then_fail(request: HttpRequest) -> HttpResponse:
    Category.objects.create(name=request.POST["name"])
    raise RuntimeError("The view failed after saving.")
