from articles import services


class SlugHistoryAdminMixin:
    """Keeps a story's old URL working when an editor changes its slug."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            services.article_slug_record(obj, old_slug=form.initial.get("slug"))
