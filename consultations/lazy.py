"""Late binding for the few classes a model must name but may not import while it loads."""

from django.utils.module_loading import import_string


class FormClassPath:
    """A page's `base_form_class` given by dotted path, imported when Wagtail first asks.

    Page models must not import their admin forms at import time (the forms import the
    models); Wagtail reads `base_form_class` only when it builds the edit handler or runs
    its checks, after every app is loaded.
    """

    def __init__(self, path):
        self.path = path

    def __get__(self, instance, owner):
        return import_string(self.path)
