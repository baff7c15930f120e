"""Template tags that put challenges on curriculum pages without curriculum importing this app."""

from django import template

from webapp.challenges import selectors

register = template.Library()


@register.inclusion_tag("challenges/_topic_challenges.html", takes_context=True)
def topic_challenges(context, topic_slug: str) -> dict:
    user = context["request"].user
    return {
        "challenges": selectors.challenges_for_topic(topic_slug=topic_slug),
        "mastered": topic_slug in selectors.mastered_topic_slugs(user=user),
        "user": user,
    }


@register.simple_tag(takes_context=True)
def mastered_topics(context) -> set[str]:
    """The slugs of topics the learner has mastered (passed a challenge), for roadmap badges."""
    return selectors.mastered_topic_slugs(user=context["request"].user)
