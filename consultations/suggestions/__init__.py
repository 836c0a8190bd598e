"""Residents' suggestions: opinion forms attached to consultations, moderation, answers.

Models live in consultations.suggestions.models; operations (one function per atomic
step), forms, views, admin views and hooks live here.
"""
