"""Staff see every cohort, membership and assignment here (the cohort pages are the owners' only)."""

from django.contrib import admin

from webapp.cohorts.models import Assignment, Cohort, Membership
from webapp.fragments import fragments_invalidate_user


def _members_pages_invalidate(user_ids) -> None:
    """A membership edited or deleted here changes its learner's menu (the cohort link), as the
    cohort services' changes do."""
    for user_id in set(user_ids):
        fragments_invalidate_user(user_id=user_id)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user", "removed_by")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "created_by", "created_at")
    search_fields = ("name", "description")
    filter_horizontal = ("owners",)
    raw_id_fields = ("created_by",)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:  # the learners' rows before the edit and after it
            changed = [
                *formset.new_objects,
                *(m for m, _ in formset.changed_objects),
                *formset.deleted_objects,
            ]
            _members_pages_invalidate(m.user_id for m in changed)

    def delete_model(self, request, obj):
        _members_pages_invalidate(obj.memberships.values_list("user_id", flat=True))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _members_pages_invalidate(
            Membership.objects.filter(cohort__in=queryset).values_list("user_id", flat=True)
        )
        super().delete_queryset(request, queryset)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "cohort", "joined_at", "left_at", "removed_by")
    list_filter = ("cohort",)
    search_fields = ("user__username", "cohort__name")
    raw_id_fields = ("user", "cohort", "removed_by")

    def save_model(self, request, obj, form, change):
        if change and "user" in form.changed_data:  # moved to another learner: the former one's too
            _members_pages_invalidate([form.initial["user"]])
        super().save_model(request, obj, form, change)
        _members_pages_invalidate([obj.user_id])

    def delete_model(self, request, obj):
        _members_pages_invalidate([obj.user_id])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _members_pages_invalidate(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("cohort", "kind", "title", "level", "question_count", "due_on", "created_at")
    list_filter = ("kind", "level")
    search_fields = ("title", "cohort__name")
    filter_horizontal = ("topics",)
    raw_id_fields = ("cohort", "created_by")
