"""The Insights view's numbers, counted by DuckDB over the analytics copy.

Each query returns the same dataclass as its plain-Python reference in `domain.insights`, and a
property test holds them equal on random data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, timedelta

from nargis_desktop.domain.insights import WEEKS_OF_TASKS, JournalStats, TaskStats
from nargis_desktop.store.analytics import Analytics

_RECENT = "(SELECT * FROM completion WHERE completed_at >= $since)"  # the last 365 days, as the reference


def done_days(analytics: Analytics, habit_ids: Collection[str] | None = None) -> dict[str, set[date]]:
    """Per habit (all, or those named), the days with a check-in that meets its target.

    Deleted habits drop out; archived ones stay (their history is still theirs).
    """
    days: dict[str, set[date]] = defaultdict(set)
    only = "" if habit_ids is None else "AND c.habit_id IN (SELECT unnest($ids))"
    for habit_id, day in analytics.db.execute(
        f"""SELECT DISTINCT c.habit_id, c.day FROM checkin c JOIN habit h ON h.id = c.habit_id
            WHERE (h.target IS NULL OR c.value IS NULL OR c.value >= h.target) {only}""",
        {} if habit_ids is None else {"ids": list(habit_ids)},
    ).fetchall():
        days[habit_id].add(day)
    return days


def task_stats(analytics: Analytics, now: datetime) -> TaskStats:
    today = now.date()
    this_week = today - timedelta(days=today.weekday())
    since = now - timedelta(days=365)
    db = analytics.db
    per_day = dict(
        db.execute(
            f"SELECT CAST(completed_at AS DATE) AS d, count(*) FROM {_RECENT} WHERE d > $first GROUP BY d",
            {"since": since, "first": today - timedelta(days=7)},
        ).fetchall()
    )
    per_week = dict(
        db.execute(
            f"SELECT date_trunc('week', completed_at)::DATE AS w, count(*) FROM {_RECENT} WHERE w >= $first GROUP BY w",
            {"since": since, "first": this_week - timedelta(weeks=WEEKS_OF_TASKS - 1)},
        ).fetchall()
    )
    dated, on_time, late_count, late_days = db.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE lateness <= 0), count(*) FILTER (WHERE lateness > 0),
                  sum(lateness) FILTER (WHERE lateness > 0)
           FROM (SELECT date_diff('day', due_day, CAST(completed_at AS DATE)) AS lateness
                 FROM {_RECENT} WHERE due_day IS NOT NULL)""",
        {"since": since},
    ).fetchone() or (0, 0, 0, None)
    busiest = db.execute(
        f"SELECT hour(completed_at) AS h FROM {_RECENT} GROUP BY h ORDER BY count(*) DESC, h LIMIT 1",
        {"since": since},
    ).fetchone()
    overdue = db.execute(
        """SELECT count(*) FROM task WHERE NOT done AND due_day IS NOT NULL
           AND ((due_at IS NOT NULL AND due_at < ?) OR (due_at IS NULL AND due_day < ?))""",
        [now, today],
    ).fetchone()
    days = tuple(per_day.get(today - timedelta(days=offset), 0) for offset in range(6, -1, -1))
    return TaskStats(
        completed_last_7_days=sum(days),
        completed_per_day=days,
        on_time_rate=round(on_time / dated, 4) if dated else None,
        average_days_late=round(late_days / late_count, 2) if late_count else (0.0 if dated else None),
        overdue_now=int(overdue[0]) if overdue else 0,
        busiest_hour=int(busiest[0]) if busiest else None,
        completed_per_week=tuple(
            per_week.get(this_week - timedelta(weeks=w), 0) for w in range(WEEKS_OF_TASKS - 1, -1, -1)
        ),
    )


def journal_stats(analytics: Analytics, now: datetime, weeks: int = 4) -> JournalStats:
    today = now.date()
    first_week = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    rows = {
        week: (entries, words, mood)
        for week, entries, words, mood in analytics.db.execute(
            """SELECT date_trunc('week', created_at)::DATE AS w, count(*), sum(words), avg(mood)
               FROM journal WHERE created_at >= ? AND created_at < ? GROUP BY w""",
            [first_week, today + timedelta(days=7 - today.weekday())],
        ).fetchall()
    }
    starts = [first_week + timedelta(weeks=w) for w in range(weeks)]
    return JournalStats(
        entries_per_week=tuple(int(rows.get(s, (0, 0, None))[0]) for s in starts),
        words_per_week=tuple(int(rows.get(s, (0, 0, None))[1]) for s in starts),
        mood_per_week=tuple(_maybe_float(rows.get(s, (0, 0, None))[2]) for s in starts),
    )


def _maybe_float(value: float | None) -> float | None:
    return None if value is None else round(value, 2)  # rounded by Python, as the reference does
