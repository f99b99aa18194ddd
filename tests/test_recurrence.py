"""Series: the repeat field, its occurrences and the checks on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal.content import Event, load_site
from portal.content.fields import FieldValueError
from portal.content.recurrence import MAX_OCCURRENCES, parse_repeat

LONDON = ZoneInfo("Europe/London")


def _series(
    write: Callable[[str, str], Path], repeat: str, start: str = "2027-03-11 18:30"
) -> None:
    write(
        "events/club.md",
        f"""
        ---
        title: Club
        start: {start}
        end: {start[:10]} 20:00
        repeat: {repeat}
        ---
        """,
    )


def _event(content: Path, now: dt.datetime, slug: str = "club") -> tuple[Event, object]:
    site = load_site(content, now=now)
    event = next(e for e in site.events if e.slug == slug)
    return event, site


def test_weekly_series_keeps_local_time_across_spring_change(content, write):
    _series(write, "weekly")
    event, _ = _event(content, dt.datetime(2027, 3, 1))

    dates = event.occurrences(after=dt.datetime(2027, 3, 1, tzinfo=LONDON), limit=4)

    starts = [o.start for o in dates]
    assert [s.date() for s in starts] == [
        dt.date(2027, 3, 11),
        dt.date(2027, 3, 18),
        dt.date(2027, 3, 25),
        dt.date(2027, 4, 1),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(18, 30)}
    assert [s.utcoffset() for s in starts] == [dt.timedelta(0)] * 3 + [
        dt.timedelta(hours=1)
    ]
    assert [o.end.hour for o in dates] == [20, 20, 20, 20]


def test_weekly_series_keeps_local_time_across_autumn_change(content, write):
    _series(write, "weekly", start="2027-10-21 18:30")
    event, _ = _event(content, dt.datetime(2027, 10, 1))

    starts = [o.start for o in event.occurrences(limit=3)]

    assert [s.astimezone(dt.UTC).hour for s in starts] == [17, 17, 18]
    assert {s.strftime("%H:%M") for s in starts} == {"18:30"}


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("daily", "FREQ=DAILY"),
        ("weekly", "FREQ=WEEKLY"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3"),
        ({"every": "2 weeks"}, "FREQ=WEEKLY;INTERVAL=2"),
        ({"every": "week", True: ["tue", "thursday"]}, "FREQ=WEEKLY;BYDAY=TU,TH"),
        ({"every": "month", "on": "second thursday"}, "FREQ=MONTHLY;BYDAY=2TH"),
        ({"every": "month", "on": "last friday"}, "FREQ=MONTHLY;BYDAY=-1FR"),
        ({"every": "month", "on": 14}, "FREQ=MONTHLY;BYMONTHDAY=14"),
        ({"every": "month", "on": "last day"}, "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ({"every": "year", "count": 3}, "FREQ=YEARLY;COUNT=3"),
        (
            {"every": "week", "until": dt.date(2027, 6, 24)},
            "FREQ=WEEKLY;UNTIL=20270624T225959Z",
        ),
    ],
    ids=[
        "daily",
        "weekly",
        "fortnightly",
        "monthly",
        "every-3-weeks",
        "every-2-weeks",
        "weekdays",
        "second-thursday",
        "last-friday",
        "monthday",
        "last-day",
        "count",
        "until-in-utc",
    ],
)
def test_repeat_becomes_the_rrule_calendars_receive(written, rule):
    first = dt.datetime(2027, 1, 14, 18, 30, tzinfo=LONDON)

    assert parse_repeat(written).rule(first) == rule


@pytest.mark.parametrize(
    ("written", "start", "words"),
    [
        ("weekly", "2027-01-12 18:30", "Every Tuesday"),
        ("fortnightly", "2027-01-12 18:30", "Every other Tuesday"),
        (
            "{every: week, on: [tuesday, thursday]}",
            "2027-01-12 18:30",
            "Every Tuesday and Thursday",
        ),
        (
            "{every: month, on: second thursday}",
            "2027-01-14 18:30",
            "Every month on the second Thursday",
        ),
        ("{every: 2 months, on: 14}", "2027-01-14 18:30", "Every 2 months on the 14th"),
        ("{every: day, count: 5}", "2027-01-14 18:30", "Every day, 5 times"),
        (
            "{every: week, until: 2027-06-24}",
            "2027-01-14 18:30",
            "Every Thursday, until 24 June 2027",
        ),
        ("yearly", "2027-06-12 14:00", "Every year on 12 June"),
    ],
    ids=[
        "weekly",
        "fortnightly",
        "two-days",
        "second-thursday",
        "monthday",
        "count",
        "until",
        "yearly",
    ],
)
def test_series_says_in_words_how_often_it_meets(content, write, written, start, words):
    _series(write, written, start=start)
    event, _ = _event(content, dt.datetime(2027, 1, 1))

    assert event.repeat.describe(event.start) == words


def test_monthly_series_on_a_weekday_meets_on_that_weekday(content, write):
    _series(write, "{every: month, on: second thursday}", start="2027-01-14 18:30")
    event, _ = _event(content, dt.datetime(2027, 1, 1))

    dates = [o.start.date() for o in event.occurrences(limit=4)]

    assert dates == [
        dt.date(2027, 1, 14),
        dt.date(2027, 2, 11),
        dt.date(2027, 3, 11),
        dt.date(2027, 4, 8),
    ]


def test_series_leaves_out_its_except_dates(content, write):
    _series(write, "{every: week, except: [2027-03-18, 2027-04-01]}")
    event, _ = _event(content, dt.datetime(2027, 3, 1))

    dates = [o.start.date() for o in event.occurrences(limit=3)]

    assert dates == [dt.date(2027, 3, 11), dt.date(2027, 3, 25), dt.date(2027, 4, 8)]


def test_series_with_count_stops_after_that_many_dates(content, write):
    _series(write, "{every: week, count: 3}")
    event, _ = _event(content, dt.datetime(2027, 3, 1))

    assert len(event.occurrences()) == 3
    assert event.last_occurrence().start.date() == dt.date(2027, 3, 25)


def test_open_ended_series_expands_to_a_bounded_number_of_dates(content, write):
    _series(write, "daily")
    event, _ = _event(content, dt.datetime(2027, 3, 1))

    assert len(event.occurrences()) == MAX_OCCURRENCES
    assert event.last_occurrence() is None


def test_date_in_progress_is_still_upcoming(content, write):
    _series(write, "weekly")
    event, _ = _event(content, dt.datetime(2027, 3, 1))

    during = dt.datetime(2027, 3, 18, 19, 0, tzinfo=LONDON)
    after = dt.datetime(2027, 3, 18, 20, 1, tzinfo=LONDON)

    assert event.occurrences(after=during, limit=1)[0].start.date() == dt.date(
        2027, 3, 18
    )
    assert event.occurrences(after=after, limit=1)[0].start.date() == dt.date(
        2027, 3, 25
    )


def test_series_is_upcoming_until_its_last_date_is_over(content, write):
    _series(write, "{every: week, until: 2027-03-25}")
    write("events/fair.md", "---\ntitle: Fair\nstart: 2027-03-20 10:00\n---\n")

    during = load_site(content, now=dt.datetime(2027, 3, 19))
    after = load_site(content, now=dt.datetime(2027, 3, 26))

    assert [e.slug for e in during.upcoming_events] == ["fair", "club"]
    assert during.listed_occurrence(during.upcoming_events[1]).start.date() == dt.date(
        2027, 3, 25
    )
    assert [e.slug for e in after.past_events] == ["club", "fair"]
    assert after.listed_occurrence(after.past_events[0]).start.date() == dt.date(
        2027, 3, 25
    )


def test_open_ended_series_is_listed_once_at_its_next_date(content, write):
    _series(write, "weekly")

    site = load_site(content, now=dt.datetime(2027, 5, 1))

    assert [e.slug for e in site.upcoming_events] == ["club"]
    assert site.next_occurrences["club"].start == dt.datetime(
        2027, 5, 6, 18, 30, tzinfo=LONDON
    )
    assert site.past_events == ()


@pytest.mark.parametrize(
    ("repeat", "message"),
    [
        (
            "sometimes",
            "repeat: expected daily, weekly, fortnightly, monthly or yearly, or fields like "
            "{every: 2 weeks, until: 2027-06-24}, got 'sometimes'",
        ),
        (
            "{every: week, untill: 2027-06-24}",
            "repeat: expected only the fields every, on, until, count and except, got 'untill'",
        ),
        (
            "{on: tuesday, until: 2027-06-24}",
            "repeat: expected every, like {every: 2 weeks}, got only on and until",
        ),
        (
            "{every: fortnite}",
            "repeat: expected every to be day, week, month or year, "
            "or a number of them like 2 weeks, got 'fortnite'",
        ),
        (
            "{every: week, on: tusday}",
            "repeat: expected on to be a weekday like tuesday or a list like "
            "[tuesday, thursday], got 'tusday'",
        ),
        (
            "{every: month, on: secnd thursday}",
            "repeat: expected on to be a day of the month like 14 or a weekday like "
            "second tuesday, got 'secnd thursday'",
        ),
        (
            "{every: day, on: tuesday}",
            "repeat: expected no on with every day; on picks days of weeks and months, "
            "got 'tuesday'",
        ),
        (
            "{every: week, until: soon}",
            "repeat: expected until to be a date like 2027-06-24, got 'soon'",
        ),
        (
            "{every: week, count: 0}",
            "repeat: expected count to be a whole number from 1 to 1000, got 0",
        ),
        (
            "{every: week, until: 2027-06-24, count: 10}",
            "repeat: expected until or count, not both, got until 2027-06-24 and count 10",
        ),
        (
            "{every: week, except: [easter]}",
            "repeat: expected except to be a date or a list of dates like [2027-02-11], "
            "got ['easter']",
        ),
        (
            "{every: week, on: tuesday}",
            "repeat: expected on to include the start's day, Thursday 2027-03-11, got 'tuesday'",
        ),
        (
            "{every: month, on: third thursday}",
            "repeat: expected on to include the start's day, Thursday 2027-03-11, "
            "got 'third thursday'",
        ),
        (
            "{every: week, until: 2027-01-01}",
            "repeat: expected until on or after the start, 2027-03-11, got 2027-01-01",
        ),
        (
            "{every: week, except: [2027-03-19]}",
            "repeat: expected except to list dates of the series, got 2027-03-19 (Friday)",
        ),
        (
            "{every: week, count: 1, except: [2027-03-11]}",
            "repeat: expected except to leave at least one date, got every date skipped",
        ),
    ],
    ids=[
        "unknown-word",
        "unknown-field",
        "no-every",
        "bad-every",
        "bad-weekday",
        "bad-month-day",
        "on-with-days",
        "bad-until",
        "zero-count",
        "until-and-count",
        "bad-except",
        "start-not-on-weekday",
        "start-not-third-thursday",
        "until-before-start",
        "except-not-a-date-of-series",
        "every-date-skipped",
    ],
)
def test_bad_repeat_is_one_line_naming_file_line_and_field(
    run_cli, write, repeat, message
):
    _series(write, repeat)

    result = run_cli("check")

    assert result.exit_code == 1
    assert f"content/events/club.md:5: {message}\n" in result.output
    assert "Traceback" not in result.output


def test_yaml_on_key_read_as_boolean_still_means_on():
    # PyYAML follows YAML 1.1, where a bare `on` key is the boolean true.
    assert parse_repeat({"every": "week", True: "friday"}).weekdays == (4,)


def test_repeat_of_the_wrong_type_is_refused():
    with pytest.raises(FieldValueError, match=r"got 7$"):
        parse_repeat(7)
