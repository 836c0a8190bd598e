"""Dates and times across the site, the admin's portal screens and the exports: one format.

2026年12月14日 and 2026年12月14日 09:00 (templates use |date:"DATE_FORMAT" or
"DATETIME_FORMAT"; Python code django.utils.formats.date_format). Pinned here so that a
Django upgrade does not change them (FORMAT_MODULE_PATH in portal/settings.py).
"""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
