"""Residents' suggestions: opinion forms attached to consultations, moderation, answers.

Models live in consultations.models.suggestions; operations (one function per atomic
step), forms, views, admin views and hooks live here.
"""
