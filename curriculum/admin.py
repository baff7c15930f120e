from django.contrib import admin

from curriculum.models import Phase, Resource, Topic, TopicProgress


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("order", "title", "duration", "is_active")


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "phase", "order", "is_active")
    list_filter = ("phase", "is_active")
    search_fields = ("title", "summary")
    inlines = [ResourceInline]


@admin.register(TopicProgress)
class TopicProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "status", "updated_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "topic")
