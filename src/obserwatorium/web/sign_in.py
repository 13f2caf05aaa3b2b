"""Signing in and out on the site: role holders (staff or not) use the site's write pages without the admin."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's form with the site's wording; a wrong password is reported once, above the fields."""

    error_messages = {
        "invalid_login": _("The user name or the password is wrong. Both are case-sensitive."),
        "inactive": _("This account is inactive. Ask the association's office to reactivate it."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        for field in self.fields.values():
            field.error_messages["required"] = _("Fill in this field.")


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    next_page = "workspace:home"  # without a `next`, the user's tasks (Django would go to /accounts/profile/)


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and return to the home page."""

    next_page = "/"
