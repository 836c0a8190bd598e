#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        # A checkout with no configuration at all is a developer's machine. A deployment
        # sets SECRET_KEY (and so stays out of debug mode) or says DEBUG explicitly.
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
