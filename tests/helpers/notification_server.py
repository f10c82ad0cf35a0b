"""A small freedesktop notification server for tests (no notification daemon runs headless).

Run as `python -m tests.helpers.notification_server BUS_ADDRESS`. It owns
org.freedesktop.Notifications on that bus and answers like a real server: Notify must carry the
spec's exact signature (a real server refuses anything else with InvalidArgs), ids count from 1,
CloseNotification emits NotificationClosed. Test controls on org.nargis.TestNotifications:
Shown() → JSON of every Notify received (and if it was closed); Invoke(u id, s action) → the person clicked an action.
"""

from __future__ import annotations

import itertools
import json
import sys

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CONTROL = "org.nargis.TestNotifications"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"


def serve(address: str) -> None:
    connection = open_dbus_connection(bus=address)
    reply = connection.send_and_get_reply(message_bus.RequestName(NAME, 4))  # 4: do not queue
    if reply.body[0] != 1:
        raise SystemExit(f"could not own {NAME}: {reply.body}")
    print("ready", flush=True)
    emitter = DBusAddress(PATH, interface=NAME)
    ids = itertools.count(1)
    shown: list[dict[str, object]] = []
    while True:
        message = connection.receive()
        if message.header.message_type != MessageType.method_call:
            continue
        member = message.header.fields.get(HeaderFields.member)
        signature = message.header.fields.get(HeaderFields.signature, "")
        if member == "GetCapabilities":
            connection.send(new_method_return(message, "as", (["actions", "body"],)))
        elif member == "GetServerInformation":
            connection.send(new_method_return(message, "ssss", ("test-notifications", "nargis", "1", "1.2")))
        elif member == "Notify":
            if signature != "susssasa{sv}i":
                error = f"Type of message, '({signature})', does not match expected type '(susssasa{{sv}}i)'"
                connection.send(new_error(message, INVALID_ARGS, "s", (error,)))
                continue
            app, replaces, _icon, summary, body, actions, hints, expire = message.body
            notification_id = replaces or next(ids)
            shown.append(
                {"id": notification_id, "app": app, "summary": summary, "body": body, "actions": actions}
                | {"replaces": replaces, "expire": expire, "category": hints.get("category", ("s", ""))[1]}
                | {"closed": False}
            )
            connection.send(new_method_return(message, "u", (notification_id,)))
        elif member == "CloseNotification":
            for notification in shown:
                if notification["id"] == message.body[0]:
                    notification["closed"] = True
            connection.send(new_method_return(message))
            connection.send(new_signal(emitter, "NotificationClosed", "uu", (message.body[0], 3)))
        elif member == "Shown":
            connection.send(new_method_return(message, "s", (json.dumps(shown),)))
        elif member == "Invoke":
            notification_id, action = message.body
            connection.send(new_method_return(message))
            connection.send(new_signal(emitter, "ActionInvoked", "us", (notification_id, action)))
            connection.send(new_signal(emitter, "NotificationClosed", "uu", (notification_id, 2)))
        else:
            connection.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),)))


if __name__ == "__main__":
    serve(sys.argv[1])
