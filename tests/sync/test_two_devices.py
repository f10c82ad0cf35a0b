from __future__ import annotations

from nargis_desktop.domain.tasks import Task
from nargis_desktop.store.sync_state import pending_count
from nargis_desktop.sync.crypto import new_recovery_phrase
from tests.moments import NOW
from tests.sync.devices import new_email


def test_a_task_made_on_the_laptop_appears_on_the_desktop(server, make_device) -> None:
    laptop, desktop = make_device("laptop"), make_device("desktop")
    email, phrase = new_email(), new_recovery_phrase()
    laptop.join(server.url, email, phrase, register=True)
    desktop.join(server.url, email, phrase)
    task = Task("buy milk", created_at=NOW)
    laptop.store.tasks.add(task)
    laptop.sync()
    assert pending_count(laptop.store) == 0
    desktop.sync()
    assert desktop.store.tasks.get(task.id).title == "buy milk"
    desktop.store.tasks.delete(task.id)
    desktop.sync()
    laptop.sync()
    assert laptop.store.tasks.count() == 0
    assert pending_count(laptop.store) == 0  # what came from the desktop is not sent back
