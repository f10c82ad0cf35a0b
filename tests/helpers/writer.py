"""A child process for the kill-9 test: writes forever, printing each id once its commit returned."""

import sys
from datetime import datetime
from pathlib import Path

from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store


def main() -> None:
    store = Store.open(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
    data = PersonalData(store)
    now = datetime(2026, 11, 25, 9, 30)
    print("ready", flush=True)
    counter = 0
    while True:
        counter += 1
        # Two writes in one transaction: a task and its completion. Both or neither.
        with store.transaction():
            task = data.add_task(f"task {sys.argv[3]}-{counter}", now, recurrence="FREQ=DAILY", due=now.date())
            data.complete_task(task, now)
        print(task.id, flush=True)


if __name__ == "__main__":
    main()
