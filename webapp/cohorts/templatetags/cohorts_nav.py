"""`user|in_a_cohort`: whether the navigation shows a learner the link to their cohorts."""

from django import template

from webapp.cohorts.selectors import membership_exists

register = template.Library()


@register.filter
def in_a_cohort(user) -> bool:
    return membership_exists(user=user)
