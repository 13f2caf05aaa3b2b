"""Every route the site declares leads to code that exists: no URL module, API router or menu entry is skipped
because it is missing."""

from __future__ import annotations

from importlib.util import find_spec

import pytest
from django.urls import reverse

from obserwatorium import urls
from obserwatorium.api import router
from obserwatorium.web.navigation import MAIN_NAVIGATION


@pytest.mark.parametrize("app", [app for app, _prefix in urls.APP_URLS])
def test_every_mounted_app_has_its_urls_module(app):
    assert find_spec(f"obserwatorium.{app}.urls") is not None


@pytest.mark.parametrize("module", [module for module, _prefix, _tag in router.ROUTERS])
def test_every_api_router_module_exists(module):
    assert find_spec(module) is not None


@pytest.mark.parametrize("entry", MAIN_NAVIGATION, ids=lambda entry: entry.url_name)
def test_every_navigation_entry_has_a_page(entry):
    assert reverse(entry.url_name)
