"""Times and durations as the user reads them: local clock times, "tomorrow", "in 4 minutes".

Plural phrases are written as two tr() calls (n == 1 and the rest), each with n, so English reads
well without a translation file and translators still get numerus forms for every language.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime

CONTEXT = "TimeText"


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, None, n)


def clock_time(moment: datetime, zone: tzinfo) -> str:
    """ "14:32" (or "2:32 PM", as the user's locale writes times) in `zone`."""
    local = moment.astimezone(zone)
    return QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)


def minutes_phrase(minutes: int) -> str:
    if minutes == 1:
        return _tr("%n minute", minutes)
    return _tr("%n minutes", minutes)


def hours_phrase(hours: int) -> str:
    if hours == 1:
        return _tr("%n hour", hours)
    return _tr("%n hours", hours)


def duration(seconds: int) -> str:
    """ "40 seconds", "6 minutes", "1 hour 5 minutes"."""
    seconds = max(0, seconds)
    if seconds < 60:
        if seconds == 1:
            return _tr("%n second", seconds)
        return _tr("%n seconds", seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return minutes_phrase(minutes)
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return hours_phrase(hours)
    return _tr("%1 %2").replace("%1", hours_phrase(hours)).replace("%2", minutes_phrase(minutes))


def time_until(moment: datetime, now: datetime) -> str:
    """ "in 4 minutes", "in less than a minute", "in 2 hours"."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return _tr("in less than a minute")
    minutes = int(seconds // 60) if seconds < 3600 else round(seconds / 60)
    if minutes < 60:
        if minutes == 1:
            return _tr("in %n minute", minutes)
        return _tr("in %n minutes", minutes)
    hours = round(minutes / 60)
    if hours == 1:
        return _tr("in %n hour", hours)
    return _tr("in %n hours", hours)


def next_due_sentence(moment: datetime | None, now: datetime, zone: tzinfo) -> str:
    """ "Next cards are due tomorrow at 04:00." from the session summary's next_due."""
    if moment is None:
        return _tr("No more cards are scheduled in this deck.")
    time_text = clock_time(moment, zone)
    days = moment.astimezone(zone).date().toordinal() - now.astimezone(zone).date().toordinal()
    if days <= 0:
        return _tr("Next cards are due today at %1.").replace("%1", time_text)
    if days == 1:
        return _tr("Next cards are due tomorrow at %1.").replace("%1", time_text)
    local = moment.astimezone(zone).date()
    date = QDate(local.year, local.month, local.day)
    if days < 7:
        day_text = QLocale().dayName(date.dayOfWeek(), QLocale.FormatType.LongFormat)
    else:
        day_text = QLocale().toString(date, QLocale.FormatType.ShortFormat)
    return _tr("Next cards are due on %1 at %2.").replace("%1", day_text).replace("%2", time_text)


def studied_sentence(studied: int, seconds: int) -> str:
    """ "You studied 12 cards in 6 minutes."."""
    if studied == 0:
        return _tr("You have not studied any cards in this session.")
    if studied == 1:
        text = _tr("You studied %n card in %1.", studied)
    else:
        text = _tr("You studied %n cards in %1.", studied)
    return text.replace("%1", duration(seconds))


def waiting_sentence(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """ "The next learning card is due at 14:32 (in 4 minutes)."."""
    return (
        _tr("The next learning card is due at %1 (%2).")
        .replace("%1", clock_time(moment, zone))
        .replace("%2", time_until(moment, now))
    )
