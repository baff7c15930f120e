"""Cohort pages: instructor.py (cohorts, dashboard, settings, drill-down, assignments), learner.py
(joining, leaving, one's own cohorts and assignments) and exports.py (CSV and xAPI). Instructors
get 404 for any cohort they do not own, and for any learner, interview or assignment outside it."""
