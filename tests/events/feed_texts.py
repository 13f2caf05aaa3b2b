"""iCalendar feeds of a gmina, written out as the tests need them (CRLF lines, as RFC 5545 has them)."""

from __future__ import annotations


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{event.strip()}\nEND:VEVENT\n" for event in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Gmina Skawina//Kalendarz//PL\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


CONCERT = """UID:koncert-1@skawina.pl
SEQUENCE:0
DTSTART;TZID=Europe/Warsaw:20250614T180000
DTEND;TZID=Europe/Warsaw:20250614T200000
SUMMARY:Koncert na Rynku
DESCRIPTION:Orkiestra dęta <b>gra</b>
LOCATION:Rynek w Skawinie
CATEGORIES:concert
URL:https://skawina.pl/koncert"""

FAIR = """UID:jarmark@skawina.pl
DTSTART;VALUE=DATE:20250705
DTEND;VALUE=DATE:20250707
SUMMARY:Jarmark Skawiński"""

LECTURE_UTC = """UID:wyklad@skawina.pl
DTSTART:20250301T170000Z
DURATION:PT1H30M
SUMMARY:Wykład o historii"""

FLOATING = """UID:warsztaty@skawina.pl
DTSTART:20251026T100000
DTEND:20251026T120000
SUMMARY:Warsztaty ceramiczne
ORGANIZER;CN=Centrum Kultury:mailto:ck@skawina.pl"""
