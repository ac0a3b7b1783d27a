"""Questions asked through the web pages, kept in server memory under opaque ids, so that no question
ever travels in a URL (address bar, history, bookmarks, server and proxy logs, Referer).

POST /ask answers, keeps the question here and redirects to GET /answers/{id}; switching audience,
downloading Markdown and the session's history are links to that id. Entries belong to one session
(another session's id is unknown to it), are bounded (oldest dropped first) and vanish with "Delete my
data" or a restart; an id that is no longer kept gets a clear page, never someone else's question.
On PostgreSQL (several server processes) the entries live in the database instead (SharedAskedAnswers).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from netnav.types.answer import Answer

MAX_ENTRIES = 2000  # across all sessions; each keeps its answer for the audience asked (tens of kB)
MAX_PER_SESSION = 50


@dataclass(frozen=True)
class Asked:
    """One answered question: `question` is the question actually answered (a follow-up made whole),
    `typed` what the user typed; `answer` the answer in `audience`."""

    id: str
    question: str
    typed: str
    audience: str
    case: str
    conversation: str
    answer: Answer


class AskedAnswers:
    """Thread-safe, in memory. Ids: 16 random hex characters (unguessable; scoped to the session)."""

    def __init__(self, limit: int = MAX_ENTRIES, per_session: int = MAX_PER_SESSION) -> None:
        self._entries: OrderedDict[tuple[str, str], Asked] = OrderedDict()
        self._limit = limit
        self._per_session = per_session
        self._lock = threading.Lock()

    def remember(
        self, session: str, answer: Answer, typed: str, audience: str, case: str, conversation: str
    ) -> Asked:
        entry = Asked(secrets.token_hex(8), answer.question, typed, audience, case, conversation, answer)
        with self._lock:
            self._entries[(session, entry.id)] = entry
            mine = [k for k in self._entries if k[0] == session]
            for key in mine[: max(0, len(mine) - self._per_session)]:
                del self._entries[key]
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)
        return entry

    def get(self, session: str, answer_id: str) -> Asked | None:
        with self._lock:
            return self._entries.get((session, answer_id))

    def history(self, session: str, limit: int = 10) -> list[tuple[str, list[Asked]]]:
        """This session's conversations, most recent first: (conversation id, its answered questions in
        order)."""
        with self._lock:
            mine = [e for (sid, _), e in self._entries.items() if sid == session]
        grouped: OrderedDict[str, list[Asked]] = OrderedDict()
        for entry in mine:
            grouped.setdefault(entry.conversation, []).append(entry)
            grouped.move_to_end(entry.conversation)
        return list(reversed(grouped.items()))[:limit]

    def forget_session(self, session: str) -> None:
        with self._lock:
            for key in [k for k in self._entries if k[0] == session]:
                del self._entries[key]


class SharedAskedAnswers(AskedAnswers):
    """The same entries kept in the database (netnav.store.postgres.asked via Engine.answer_records), for
    several server processes: the POST that answers and the GET it redirects to may reach different ones."""

    def __init__(self, records: AnswerRecords, per_session: int = MAX_PER_SESSION) -> None:
        super().__init__(per_session=per_session)
        self._records = records

    def remember(
        self, session: str, answer: Answer, typed: str, audience: str, case: str, conversation: str
    ) -> Asked:
        entry = Asked(secrets.token_hex(8), answer.question, typed, audience, case, conversation, answer)
        self._records.put(session, entry.id, _dump(entry), self._per_session)
        return entry

    def get(self, session: str, answer_id: str) -> Asked | None:
        payload = self._records.get(session, answer_id)
        return None if payload is None else _load(payload)

    def history(self, session: str, limit: int = 10) -> list[tuple[str, list[Asked]]]:
        grouped: OrderedDict[str, list[Asked]] = OrderedDict()
        for entry in (_load(p) for p in self._records.list(session)):
            grouped.setdefault(entry.conversation, []).append(entry)
            grouped.move_to_end(entry.conversation)
        return list(reversed(grouped.items()))[:limit]

    def forget_session(self, session: str) -> None:
        self._records.forget(session)


class AnswerRecords(Protocol):
    def put(self, session: str, entry_id: str, payload: str, per_session: int) -> None: ...
    def get(self, session: str, entry_id: str) -> str | None: ...
    def list(self, session: str) -> list[str]: ...
    def forget(self, session: str) -> None: ...


def _dump(entry: Asked) -> str:
    fields = {k: getattr(entry, k) for k in ("id", "question", "typed", "audience", "case", "conversation")}
    return json.dumps({**fields, "answer": entry.answer.model_dump(mode="json")}, ensure_ascii=False)


def _load(payload: str) -> Asked:
    raw = json.loads(payload)
    answer = Answer.model_validate(raw.pop("answer"))
    return Asked(answer=answer, **{k: str(v) for k, v in raw.items()})
