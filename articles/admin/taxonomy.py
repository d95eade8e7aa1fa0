from django.contrib import admin

from articles.models import Section, Source


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "position"]
    list_select_related = ["parent", "parent__parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["parent", "name", "names", "slug", "position"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["short_name", "full_name", "homepage"]
    search_fields = ["short_name", "full_name"]
