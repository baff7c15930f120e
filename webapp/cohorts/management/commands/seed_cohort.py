"""manage.py seed_cohort: a cohort of made-up learners with a year of activity (demos, benchmarks)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from quiz.models import Question
from webapp.accounts.models import User
from webapp.cohorts.seeding import cohort_seed


class Command(BaseCommand):
    help = "Create a cohort of learners with simulated progress, answers, FSRS cards and mock interviews."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=200)
        parser.add_argument("--days", type=int, default=365, help="How much history, ending today.")
        parser.add_argument("--owner", default="demo-instructor", help="The owning instructor's username.")
        parser.add_argument("--name", default="", help="The cohort's name.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same activity.")

    def handle(self, *args, learners: int, days: int, owner: str, name: str, seed: int, **options):
        if learners < 1 or days < 1:
            raise CommandError("--learners and --days must be positive.")
        owner_user = User.objects.filter(username=owner).first()
        if owner_user is None or not owner_user.is_instructor:
            raise CommandError(
                f"No instructor called {owner!r}: create one first (e.g. `make run` makes demo accounts)."
            )
        if not Question.objects.active().exists():
            self.stdout.write("No questions yet: importing the curriculum and the question bank.")
            call_command("import_curriculum", stdout=self.stdout)
            call_command("import_questions", stdout=self.stdout)
        report = cohort_seed(owner=owner_user, learners=learners, days=days, seed=seed, name=name)
        self.stdout.write(
            self.style.SUCCESS(
                f"Cohort {report.cohort.name!r} (id {report.cohort.id}): {report.learners} learners, "
                f"{report.progress} topic progress rows, {report.attempts} answers, {report.cards} cards, "
                f"{report.mocks} mock interviews."
            )
        )
