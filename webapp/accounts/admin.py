"""Staff's admin: users (where the instructor role is granted) and instructor invitation links."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html

from webapp.accounts.models import InstructorInvitation, User


@admin.register(User)
class SoundpathUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Soundpath", {"fields": ("role", "display_name")}))
    list_display = ("username", "email", "role", "is_staff", "last_login")
    list_filter = ("role", "is_staff", "is_active")


@admin.register(InstructorInvitation)
class InstructorInvitationAdmin(admin.ModelAdmin):
    """Staff add an invitation and send its link; whoever opens it signed in becomes an instructor."""

    fields = ("note", "expires_at", "link", "used_by", "used_at")
    readonly_fields = ("link", "used_by", "used_at")
    list_display = ("note", "created_by", "created_at", "expires_at", "used_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Link to send (copy it)")
    def link(self, obj: InstructorInvitation) -> str:
        if not obj.pk:
            return "shown after saving"
        path = reverse("accounts:instructor_invitation", args=[obj.token])
        return format_html('<a href="{}">{}</a>', path, path)
