"""Does the sheet show exactly what the store holds? Used by tests and the benchmark."""

from __future__ import annotations

from collections import Counter

from nargis_desktop.store.database import Store
from nargis_desktop.sync.sheets.layout import Kind, Lookups
from tests.sheets.fake_sheets import FakeSheetsServer


def differences(fake: FakeSheetsServer, store: Store, kinds: tuple[Kind, ...]) -> list[str]:
    """Empty when every live item has exactly one row showing it and every row is a live item."""
    problems: list[str] = []
    lookups = Lookups.load(store)
    for kind in kinds:
        rows = fake.values(kind.title)[1:]
        ids = [row[0] if row else "" for row in rows if any(row)]
        counted = Counter(ids)
        problems += [f"{kind.title}: id {i!r} on {n} rows" for i, n in counted.items() if n > 1]
        problems += [f"{kind.title}: a row without id" for i in ids if not i]
        sheet = {
            row[0]: [*row[1 : 1 + len(kind.columns)], *[""] * (1 + len(kind.columns) - len(row))]
            for row in rows
            if row and row[0]
        }
        local = {item.id: item for item in kind.repository(store).list()}
        for item_id in set(sheet) - set(local):
            problems.append(f"{kind.title}: row {item_id} is no live item")
        for item_id, item in local.items():
            shown = sheet.get(item_id)
            expected = [kind.render(item, lookups)[c.header] for c in kind.columns]
            if shown is None:
                problems.append(f"{kind.title}: item {item_id} has no row")
            elif shown != expected:
                problems.append(f"{kind.title}: row {item_id} shows {shown}, the store has {expected}")
    return problems
