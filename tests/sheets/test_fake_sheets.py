"""The fake Sheets server answers gspread's own high-level calls as Google would (for the calls used)."""

from __future__ import annotations

import gspread
import pytest
import requests
from gspread.http_client import HTTPClient

from nargis_desktop.sync.sheets.api import redirect_to
from tests.sheets.fake_sheets import FakeSheetsServer


def client_for(fake: FakeSheetsServer) -> gspread.Client:
    client = gspread.Client(None, session=redirect_to(fake.base_url, requests.Session()))  # type: ignore[arg-type]
    assert isinstance(client.http_client, HTTPClient)
    return client


def test_gspread_worksheet_calls_round_trip(fake: FakeSheetsServer) -> None:
    book = client_for(fake).create("Test book")
    sheet = book.add_worksheet("Data", rows=10, cols=5)
    sheet.update([["a", "b"], ["1", "2"]], "A1:B2")
    sheet.append_row(["3", "4"])
    sheet.batch_update([{"range": "C1:C2", "values": [["c"], ["5"]]}])
    assert sheet.get_all_values() == [["a", "b", "c"], ["1", "2", "5"], ["3", "4", ""]]
    assert book.values_batch_get(["Data!A1:A3", "Data!B2"])["valueRanges"][1]["values"] == [["2"]]
    sheet.batch_clear(["C1:C2"])
    book.values_clear("Data!A3:B3")
    assert sheet.get_all_values() == [["a", "b"], ["1", "2"]]
    assert [w.title for w in book.worksheets()] == ["Sheet1", "Data"]
    book.del_worksheet(book.worksheet("Sheet1"))
    assert [w.title for w in book.worksheets()] == ["Data"]


def test_faults_are_served_as_asked(fake: FakeSheetsServer) -> None:
    book = client_for(fake).create("Faulty")
    fake.faults.scripted[fake.requests_seen + 1] = "429"
    with pytest.raises(gspread.exceptions.APIError) as caught:
        book.fetch_sheet_metadata()
    assert caught.value.response.status_code == 429
    fake.faults.scripted[fake.requests_seen + 1] = "drop"
    with pytest.raises(requests.ConnectionError):
        book.fetch_sheet_metadata()
    assert book.fetch_sheet_metadata()["properties"]["title"] == "Faulty"
