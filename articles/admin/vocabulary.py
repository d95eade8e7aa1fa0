from django.conf import settings
from django.contrib import admin

from articles.models import Country, Topic

from .vocabulary_care import CountryLogMixin, TopicVocabularyMixin


@admin.register(Country)
class CountryAdmin(CountryLogMixin, admin.ModelAdmin):
    list_display = ["code", "name", "slug"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_search_results(self, request, queryset, search_term):
        """Match the name in every configured language, not just the stored one."""
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip().casefold()
        if term:
            codes = [
                country.code
                for country in Country.objects.all()
                if any(
                    term in country.name_in(code).casefold()
                    for code, _name in settings.LANGUAGES
                )
            ]
            queryset |= self.model.objects.filter(code__in=codes)
        return queryset, may_have_duplicates


@admin.register(Topic)
class TopicAdmin(TopicVocabularyMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
