from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from webapp.accounts.models import User


@admin.register(User)
class SoundpathUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Soundpath", {"fields": ("role", "display_name")}))
    list_display = ("username", "email", "role", "is_staff", "last_login")
    list_filter = ("role", "is_staff", "is_active")
