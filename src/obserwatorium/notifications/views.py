"""The e-mail settings page of the signed-in user and the one-click unsubscribe link of every e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from obserwatorium.notifications import services
from obserwatorium.notifications.forms import PreferenceForm
from obserwatorium.notifications.models import Kind
from obserwatorium.notifications.tokens import read_token


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    preference = services.preference_of(request.user)  # type: ignore[arg-type]
    initial = {"received": [k for k in Kind.values if preference.receives(k)], "language": preference.language}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(user=request.user, received=set(form.cleaned_data["received"]),
                                  language=form.cleaned_data["language"])
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)


# Mail programs send the one-click unsubscribe (RFC 8058) as a POST without the site's cookies: the signed token
# is the proof, so the CSRF check does not apply. A GET only asks, so a link scanner unsubscribes nobody.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        kind = read_token(token).kind
        label = Kind(kind).label
    except (signing.BadSignature, ValueError):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ValidationError:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kind": label})
    return render(request, "notifications/unsubscribe.html", {"kind": label, "token": token})
