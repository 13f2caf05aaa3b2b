from django.contrib import admin

from obserwatorium.insights.models import CompositeComponent, CompositeIndex, DerivedIndicator, PeerGroup


@admin.register(DerivedIndicator)
class DerivedIndicatorAdmin(admin.ModelAdmin):
    list_display = ("indicator", "formula", "inputs", "scale", "years")


class ComponentInline(admin.TabularInline):
    model = CompositeComponent
    fk_name = "index"
    extra = 0


@admin.register(CompositeIndex)
class CompositeIndexAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl", "domain", "normalisation", "missing_rule")
    inlines = [ComponentInline]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl")
    filter_horizontal = ("units",)
