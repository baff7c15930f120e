"""Staff see every cohort, membership and assignment here (the cohort pages are the owners' only)."""

from django.contrib import admin

from webapp.cohorts.models import Assignment, Cohort, Membership


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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "cohort", "joined_at", "left_at", "removed_by")
    list_filter = ("cohort",)
    search_fields = ("user__username", "cohort__name")
    raw_id_fields = ("user", "cohort", "removed_by")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("cohort", "kind", "title", "level", "question_count", "due_on", "created_at")
    list_filter = ("kind", "level")
    search_fields = ("title", "cohort__name")
    filter_horizontal = ("topics",)
    raw_id_fields = ("cohort", "created_by")
