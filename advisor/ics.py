"""`advise SCENARIO --calendar FILE.ics`: the advice's deadlines as an iCalendar file.

A deadline is the date or datetime fact a rule names with `deadline:` (rules.yaml), when the rule is advised and
the fact has a value. Each becomes one event, all day for a date, at its time for a datetime (local "floating"
time, no time zone, as the platform's page shows it; with alarms a day and some hours before, ALARMS_BEFORE):
its summary is the action's title, its description the recommendation's message (what to check that day), in the chosen language. A deadline that depends on a
disputed parameter is the date at the side the rule takes (the earliest, for a date to act by), and its
description lists every date with its source. The file depends on nothing but
the input: the UID comes from the scenario's path, the rule and the date, DTSTAMP from as_of, not the clock,
so the same scenario gives the same bytes, and importing it again updates the events instead of adding copies.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os

from icalendar import Alarm, Calendar, Event

from .explain import Advice, Recommendation, format_range
from .messages import say

PRODID = "-//advise//deadlines//EN"

# A timed deadline is the moment something goes through by itself (an order cancels, a contract ends): an event
# at that moment reminds the user only once it is too late to act. It rings before: a day before, the margin the
# date-only rules keep with day_before (the last day to answer is the day before the cut-off), and again some
# hours before, which still rings when the window is a day or less (a request answered within 24 hours: its day
# before is the request itself, already past when the calendar is imported) and leaves time to answer.
ALARMS_BEFORE = (dt.timedelta(days=1), dt.timedelta(hours=3))


def deadlines(advice: Advice) -> list[tuple[Recommendation, dt.date]]:
    """The advised recommendations that have a deadline, with its date (a dt.datetime for a datetime fact), in the
    advice's order."""
    found = []
    for item in advice.recommendations:
        # a deadline sources disagree on is the date at the side the rule takes; its message shows them all
        day = advice.view(item.rule).facts.get(item.rule.deadline) if item.rule.deadline else None
        if isinstance(day, dt.date):
            found.append((item, day))
    return found


def calendar(advice: Advice, lang: str) -> bytes:
    """The iCalendar file (RFC 5545) of the advice's deadlines; with none, a calendar without events."""
    scenario = advice.scenario
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", scenario.title or advice.pack.name.get(lang))
    stamp = dt.datetime.combine(scenario.as_of, dt.time(0), tzinfo=dt.timezone.utc)
    where = os.path.abspath(scenario.path) if os.path.isfile(scenario.path) else scenario.path  # or <stdin>
    for item, day in deadlines(advice):
        event = Event()
        key = f"{where}\n{item.rule.id}\n{day.isoformat()}".encode("utf-8")
        event.add("uid", f"{hashlib.sha256(key).hexdigest()[:32]}@advise")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)  # a datetime without tzinfo: "floating", the local time the platform's page shows
        # a time: without DTEND the event ends when it starts (RFC 5545, 3.6.1), a moment to act before
        if not isinstance(day, dt.datetime) and day < dt.date.max:  # all day: the end is the next day, exclusive
            event.add("dtend", day + dt.timedelta(days=1))
        # else the last day of the calendar (9999-12-31), whose next day is no date: without DTEND, an event on a
        # date lasts that one day all the same (RFC 5545, 3.6.1)
        event.add("summary", item.title.get(lang))
        description = item.message.get(lang)
        if item.rule.deadline in advice.ranges:  # sources disagree on the date: the event says so, with each date
            description += "\n\n" + say(lang, "calendar_range", values=format_range(
                advice.ranges[item.rule.deadline], "datetime" if isinstance(day, dt.datetime) else "date", lang))
        event.add("description", description)
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
        if isinstance(day, dt.datetime):
            for before in ALARMS_BEFORE:
                event.add_component(_alarm(item.title.get(lang), before))
        cal.add_component(event)
    return cal.to_ical()


def _alarm(summary: str, before: dt.timedelta) -> Alarm:
    """A display alarm `before` the event's start (RFC 5545, 3.6.6), saying the event's summary."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -before)  # relative to DTSTART
    return alarm
