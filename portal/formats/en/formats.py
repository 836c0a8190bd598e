"""Dates and times in English: 14 December 2026 and 14 December 2026, 09:00 (24-hour, as
in Chinese). See portal/formats/zh_Hans/formats.py."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
