"""Follow-up questions: a short message that leans on the previous question is rewritten into a full one.

The rule (deliberately simple and predictable):

1. A message is a *follow-up* (elliptical) when its conversation already has a previous question and the
   message (a) starts with a follow-up cue ("what about", "how about", "and", "what if", "same for", "also")
   and what follows is not a complete question of its own ("and how did COMPETE compare edotreotide with
   everolimus?" is complete: it starts with a question word, names what it asks about and points back at
   nothing), or (b) has at most four words and is not a complete question ("What is PRRT?" is), or (c)
   points back with a pronoun ("is it approved...", "its side effects") and names no drug, test,
   biomarker, trial or tumour of its own. Only follow-ups are rewritten.
1a. A pronoun is replaced by the previous question's subject (its first drug, trial, test, biomarker,
   procedure or tumour): "What is lanreotide used for?" + "what about its side effects?" becomes
   "What about lanreotide's side effects?".
2. Its *focus* is the message without the cue, a leading preposition ("for", "in", "with", "of") and the
   final "?" -- "what about for NEC?" gives the focus "NEC" with the preposition "for".
3. If the focus names a concept of a type (disease, site, drug, biomarker, ...) that the previous question
   also names, the previous question's shortest mention of that type is replaced by the focus:
   "What does a Ki-67 of 15% mean for a pancreatic NET?" + "what about for NEC?" becomes
   "What does a Ki-67 of 15% mean for a pancreatic NEC?".
4. Otherwise the focus is appended with its preposition (default "for"): "... NET?" + "how about in
   children?" becomes "... NET in children?".

The rewritten question becomes the conversation's previous question, so follow-ups chain. Memory is
in-process only, per (session, conversation), bounded, and never written to disk or logs -- except
on the PostgreSQL backend, where several server processes must share it: PostgresConversations keeps it
in the database (under the session's digest), deleted with the session's data or after CASE_MAX_AGE_DAYS.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol

from netnav.errors import BadInputError
from netnav.retrieve.analyze import find_entities

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CUE = re.compile(
    r"^\s*(?:what\s+about|how\s+about|and\s+what\s+about|and\s+how\s+about|and|what\s+if|"
    r"same\s+for|also|but)\b[\s,]*",
    re.IGNORECASE,
)
_PREP = re.compile(r"^(for|in|with|of|among|during|after|before)\s+", re.IGNORECASE)
_MAX_CONVERSATIONS = 1000
MAX_TURNS = 20  # questions remembered per conversation for the history list


def check_conversation_id(value: str) -> str:
    if not CONVERSATION_ID.fullmatch(value):
        raise BadInputError("conversation_id must be 1-64 letters, digits, '-' or '_'")
    return value


_QUESTION_START = re.compile(
    r"^\s*(what|when|where|which|who|why|how|is|are|can|could|does|do|did|should|will|would|was|were|has|have)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(it|its|it's|they|them|their|this|that|these|those)\b", re.IGNORECASE)
_REFERENT_TYPES = frozenset({"drug", "trial", "test", "biomarker", "procedure", "disease", "syndrome"})
_UMBRELLA = frozenset({"nen", "net", "nec", "gep-net", "trial-names"})


def _referents(text: str) -> list[str]:
    """Specific things a text names that a pronoun could stand for (matched wording, in order)."""
    from netnav.retrieve.analyze import find_entities

    found = [e for e in find_entities(text) if e.type in _REFERENT_TYPES and e.concept_id not in _UMBRELLA]
    return [e.matched for e in sorted(found, key=lambda e: text.find(e.matched))]


def _complete(text: str) -> bool:
    """A question that stands on its own: starts with a question word and names what it asks about."""
    return bool(_QUESTION_START.match(text)) and bool(_referents(text)) and not _POINTER.search(text)


def is_follow_up(message: str, previous: str | None = None) -> bool:
    """Whether `message` is elliptical (see the module docstring). With `previous`, a pronoun counts as
    pointing back unless the message names its own thing of the same type as the previous subject."""
    words = message.split()
    if not words:
        return False
    rest = _CUE.sub("", message, count=1)
    if _CUE.match(message):
        return not (len(rest.split()) >= 4 and _complete(rest))
    if _POINTER.search(message) and previous is not None and _referents(previous):
        from netnav.retrieve.analyze import find_entities

        subject_types = {e.type for e in find_entities(_referents(previous)[0])}
        return not any(e.type in subject_types for e in find_entities(message))
    if len(words) <= 4:
        return not _complete(message)
    return bool(_POINTER.search(message)) and not _referents(message)


def _replace_pointer(previous: str, message: str) -> str | None:
    """The message with its pronoun replaced by the previous question's subject (None if either is missing)."""
    subjects = _referents(previous)
    if not subjects or not _POINTER.search(message):
        return None
    subject = subjects[0]

    def swap(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        return f"{subject}'s" if word in ("its", "their") else subject

    text = _POINTER.sub(swap, _CUE.sub("", message, count=1).strip(), count=1).rstrip("?.! ").strip()
    if not _QUESTION_START.match(text):
        text = f"What about {text}"
    return text[:1].upper() + text[1:] + "?"


def split_focus(message: str) -> tuple[str | None, str]:
    """(preposition or None, focus) of a follow-up message."""
    rest = _CUE.sub("", message, count=1).strip().rstrip("?.! ").strip()
    prep_match = _PREP.match(rest)
    if prep_match:
        return prep_match.group(1).lower(), rest[prep_match.end() :].strip()
    return None, rest


def _replace_same_type(previous: str, focus: str) -> str | None:
    focus_types = {e.type for e in find_entities(focus)}
    if not focus_types:
        return None
    mentions = [e for e in find_entities(previous) if e.type in focus_types]
    if not mentions:
        return None
    target = min(mentions, key=lambda e: len(e.matched)).matched
    pattern = re.compile(r"(?<![\w-])" + re.escape(target) + r"(?![\w-])")
    replaced, count = pattern.subn(lambda _m: focus, previous, count=1)
    return replaced if count else None


def combine(previous: str, message: str) -> str:
    """Rewrite a follow-up using the previous question (see the module docstring for the rule)."""
    prep, focus = split_focus(message)
    if not focus:
        return previous
    pointed = _replace_pointer(previous, message)
    if pointed is not None:
        return pointed
    replaced = _replace_same_type(previous, focus)
    if replaced is not None:
        return replaced
    return f"{previous.rstrip().rstrip('?.! ')} {prep or 'for'} {focus}?"


def rewrite_follow_up(previous: str, message: str) -> str:
    """The question to answer for `message` asked after `previous` (unchanged when not a follow-up)."""
    text = " ".join(message.split())
    return combine(previous, text) if is_follow_up(text, previous) else text


class ConversationMemory(Protocol):
    """Follow-up memory: `Conversations` (in this process) or
    netnav.store.postgres.sessions.PostgresConversations (shared by several server processes)."""

    def resolve(self, session: str, conversation: str | None, message: str) -> str: ...
    def history(self, session: str, limit: int = 10) -> list[tuple[str, list[str]]]: ...
    def forget_session(self, session: str) -> None: ...


class Conversations:
    """The last question of each conversation, per session (bounded, thread-safe, in memory)."""

    def __init__(self, limit: int = _MAX_CONVERSATIONS) -> None:
        self._last: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._asked: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def resolve(self, session: str, conversation: str | None, message: str) -> str:
        """The question to answer; remembers it as the conversation's previous question."""
        text = " ".join(message.split())
        if conversation is None:
            return text
        key = (session, check_conversation_id(conversation))
        with self._lock:
            previous = self._last.get(key)
            question = rewrite_follow_up(previous, text) if previous else text
            self._last[key] = question
            self._last.move_to_end(key)
            asked = self._asked.setdefault(key, [])
            if not asked or asked[-1] != question:
                asked.append(question)
            del asked[:-MAX_TURNS]
            self._asked.move_to_end(key)
            while len(self._last) > self._limit:
                self._last.popitem(last=False)
            while len(self._asked) > self._limit:
                self._asked.popitem(last=False)
        return question

    def history(self, session: str, limit: int = 10) -> list[tuple[str, list[str]]]:
        """This session's conversations, most recent first: (conversation id, questions in order)."""
        with self._lock:
            mine = [(cid, list(qs)) for (sid, cid), qs in self._asked.items() if sid == session]
        return list(reversed(mine))[:limit]

    def forget_session(self, session: str) -> None:
        with self._lock:
            for key in [k for k in self._last if k[0] == session]:
                del self._last[key]
            for key in [k for k in self._asked if k[0] == session]:
                del self._asked[key]


class PostgresConversations:
    """`Conversations` kept in PostgreSQL (migration 0050), so that a follow-up sent to another server
    process is still combined with its previous question. Keyed by the session's digest. `resolve` locks
    the conversation's row (SELECT ... FOR UPDATE) in one transaction: two processes answering the same
    conversation at once cannot lose a turn. Raises StoreUnavailable when the database cannot be reached.
    Rows unused for CASE_MAX_AGE_DAYS are deleted with the session cases (PostgresSessionCases.expire)."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def resolve(self, session: str, conversation: str | None, message: str) -> str:
        """The question to answer; remembers it as the conversation's previous question."""
        text = " ".join(message.split())
        if conversation is None:
            return text
        from netnav.cases import session_digest
        from netnav.store.postgres.access import transaction

        key = (session_digest(session), check_conversation_id(conversation))

        with transaction(self.pool) as conn:
            conn.execute(
                "INSERT INTO conversations(session, conversation, last_question, asked, updated_at)"
                " VALUES (%s,%s,'','[]',%s) ON CONFLICT DO NOTHING",
                (*key, time.time()),
            )
            last, asked_json = conn.execute(
                "SELECT last_question, asked FROM conversations WHERE session=%s AND conversation=%s"
                " FOR UPDATE",
                key,
            ).fetchall()[0]
            question = rewrite_follow_up(str(last), text) if last else text
            asked = [str(q) for q in json.loads(str(asked_json))]
            if not asked or asked[-1] != question:
                asked.append(question)
            conn.execute(
                "UPDATE conversations SET last_question=%s, asked=%s, updated_at=%s"
                " WHERE session=%s AND conversation=%s",
                (question, json.dumps(asked[-MAX_TURNS:], ensure_ascii=False), time.time(), *key),
            )
        return question

    def history(self, session: str, limit: int = 10) -> list[tuple[str, list[str]]]:
        """This session's conversations, most recent first: (conversation id, questions in order)."""
        from netnav.cases import session_digest
        from netnav.store.postgres.access import rows

        found = rows(
            self.pool,
            "SELECT conversation, asked FROM conversations WHERE session=%s AND asked <> '[]'"
            " ORDER BY updated_at DESC LIMIT %s",
            (session_digest(session), limit),
        )
        return [(str(c), [str(q) for q in json.loads(str(a))]) for c, a in found]

    def forget_session(self, session: str) -> None:
        from netnav.cases import session_digest
        from netnav.store.postgres.access import transaction

        with transaction(self.pool) as conn:
            conn.execute("DELETE FROM conversations WHERE session=%s", (session_digest(session),))
