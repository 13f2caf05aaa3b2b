"""Users for the import tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff_user(django_user_model):
    """An analyst of the office: staff with the office role (a staff account without a role writes nothing)."""
    from obserwatorium.access.models import Role, RoleAssignment

    user = django_user_model.objects.create_user("analityczka", password="an-import-password-1", is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN)
    return user


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("mieszkaniec", password="a-plain-password-22")
