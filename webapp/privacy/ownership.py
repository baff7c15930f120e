"""Which rows belong to a user. Every model that points at the user, and every model that points at
those through a cascading key, is found by walking the model graph, so a model added later is
exported and deleted without anyone remembering to list it. Relations to a user that do not make
the row theirs are named in NOT_OWNERSHIP with what happens to them instead."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

# "app_label.Model.field": why the row is not the user's, and what deletion does about it.
NOT_OWNERSHIP = {
    "cohorts.Cohort.owners": "the cohort passes to a co-owner, or is deleted when none is left",
    "cohorts.Cohort.created_by": "the creator's role passes to a co-owner (or the cohort is deleted)",
    "cohorts.Membership.removed_by": "the instructor who ended a learner's membership; forgotten (set to empty)",
    "cohorts.Assignment.created_by": "assignments belong to the cohort; the author is forgotten",
    "quiz.Attempt.recording": "the spoken answer's job; the attempt itself is owned through its user",
}


@dataclass(frozen=True)
class OwnedModel:
    model: type[models.Model]
    lookup: str  # from this model to the user, e.g. "job__owner"

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, user) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.lookup: user}).order_by("pk")


def field_key(field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def relation_fields(model: type[models.Model]) -> Iterator:
    """The model's own foreign keys, one-to-ones and many-to-manys (not reverse accessors)."""
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and not field.auto_created:
            yield field


def owned_models() -> list[OwnedModel]:
    """Every model holding rows of a user, with the lookup that finds them, breadth first."""
    user_model = get_user_model()
    lookups: dict[type[models.Model], str] = {user_model: "pk"}
    found: list[OwnedModel] = []
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in lookups:
                continue
            for field in relation_fields(model):
                target = field.related_model
                if target not in lookups or field.many_to_many or field_key(field) in NOT_OWNERSHIP:
                    continue
                direct = target is user_model
                if not direct and field.remote_field.on_delete is not models.CASCADE:
                    continue
                lookup = field.name if direct else f"{field.name}__{lookups[target]}"
                lookups[model] = lookup
                found.append(OwnedModel(model, lookup))
                changed = True
                break
    return sorted(found, key=lambda owned: owned.label)


def unclassified_relations() -> list[str]:
    """Relations to a user (or to a user's rows) that are neither ownership nor listed in
    NOT_OWNERSHIP: each is a place where a learner's data could be forgotten."""
    owned = {owned.model for owned in owned_models()} | {get_user_model()}
    missing = []
    for model in apps.get_models():
        if model in owned:
            continue
        for field in relation_fields(model):
            if field.related_model in owned and field_key(field) not in NOT_OWNERSHIP:
                missing.append(field_key(field))
    return sorted(missing)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def owned_file_names(user) -> list[str]:
    """Storage names of every file held in a FileField of the user's rows."""
    names = []
    for owned in owned_models():
        fields = file_fields(owned.model)
        if not fields:
            continue
        for values in owned.rows(user).values_list(*[f.name for f in fields]):
            names.extend(name for name in values if name)
    return sorted(set(names))
