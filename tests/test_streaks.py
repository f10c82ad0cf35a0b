from datetime import date, datetime, timedelta

from nargis_desktop.domain.habits import CheckIn, Habit, Schedule
from nargis_desktop.domain.streaks import streak

TODAY = date(2026, 11, 25)  # a Wednesday


def habit(schedule: str = "daily", start: date = date(2026, 10, 1), target: float | None = None) -> Habit:
    return Habit(
        "Meditate", start=start, created_at=datetime(2026, 10, 1), schedule=Schedule.parse(schedule), target=target
    )


def checkins(h: Habit, *days: date, value: float | None = None) -> list[CheckIn]:
    return [CheckIn(h.id, d, datetime(2026, 10, 1), value=value) for d in days]


def days_back(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


def test_daily_streak_counts_consecutive_days() -> None:
    h = habit()
    assert streak(h, checkins(h, *days_back(0, 1, 2, 3)), TODAY).current == 4


def test_today_not_done_yet_does_not_break_the_streak() -> None:
    h = habit()
    assert streak(h, checkins(h, *days_back(1, 2, 3)), TODAY).current == 3


def test_a_missed_scheduled_day_breaks_the_streak_but_best_remembers() -> None:
    h = habit()
    result = streak(h, checkins(h, *days_back(1, 2, 4, 5, 6, 7, 8)), TODAY)
    assert (result.current, result.best) == (2, 5)


def test_an_unscheduled_day_does_not_break_a_weekday_streak() -> None:
    h = habit("weekdays")
    # Mon 23, Tue 24, Fri 20, Thu 19: the weekend 21-22 is not scheduled.
    days = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 20), date(2026, 11, 19)]
    assert streak(h, checkins(h, *days), TODAY).current == 4


def test_a_check_in_below_the_target_does_not_count() -> None:
    h = habit(target=8)
    result = streak(h, checkins(h, *days_back(1), value=8) + checkins(h, *days_back(2), value=3), TODAY)
    assert result.current == 1


def test_n_per_week_counts_weeks_that_met_the_number() -> None:
    h = habit("3 times per week", start=date(2026, 11, 2))
    # Weeks starting 2, 9 and 16 Nov have 3 runs each; this week (23 Nov) is still open with 1.
    days = [date(2026, 11, d) for d in (2, 4, 6, 9, 11, 13, 16, 18, 20, 24)]
    result = streak(h, checkins(h, *days), TODAY)
    assert (result.current, result.unit) == (3, "week")


def test_n_per_week_breaks_on_a_week_that_fell_short() -> None:
    h = habit("3 times per week", start=date(2026, 11, 2))
    days = [date(2026, 11, d) for d in (2, 4, 6, 9, 16, 18, 20)]
    result = streak(h, checkins(h, *days), TODAY)
    assert (result.current, result.best) == (1, 1)


def test_a_new_habit_has_no_streak() -> None:
    h = habit(start=TODAY)
    assert streak(h, [], TODAY).current == 0
