"""The enumeration behind export and deletion: every relation to a user is either ownership or
explicitly something else, so a model added later cannot hold a learner's data unnoticed."""

from webapp.privacy.ownership import NOT_OWNERSHIP, owned_file_names, owned_models, unclassified_relations


def test_every_relation_to_a_user_or_their_rows_is_classified(db):
    assert unclassified_relations() == []


def test_ownership_follows_relations_transitively(db):
    lookups = {owned.label: owned.lookup for owned in owned_models()}
    assert lookups["quiz.Attempt"] == "user"
    # owned through another model: a job's files belong to the job's owner
    assert lookups["workers.JobInputFile"] == "job__owner"
    assert lookups["workers.JobResultFile"] == "job__owner"
    assert lookups["demos.ConsentRecording"] == "user"
    for label in ("curriculum.TopicProgress", "quiz.Card", "quiz.MockInterview", "cohorts.Membership",
                  "demos.PredictionAttempt", "workers.InferenceJob", "privacy.DataExport",
                  "challenges.ChallengeAttempt"):  # fmt: skip
        assert label in lookups


def test_not_ownership_names_only_real_fields(db):
    from django.apps import apps

    for key in NOT_OWNERSHIP:
        app_model, field = key.rsplit(".", 1)
        apps.get_model(app_model)._meta.get_field(field)  # raises if the entry went stale


def test_owned_file_names_are_exactly_the_users_files(everything, bystander):
    _, theirs = bystander
    names = owned_file_names(everything.user)
    assert sorted(names) == sorted(everything.files)
    assert not set(names) & set(theirs)
