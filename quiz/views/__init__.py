"""Practice pages (practice.py: home, quiz sets, review queue, answers, readiness, history) and
mock interviews (mock.py). Every page is the signed-in learner's own: others' ids answer 404."""
