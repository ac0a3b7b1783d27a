"""Typed error hierarchy. Messages are turned into user-facing text only at the CLI/API edge."""

from __future__ import annotations


class NetNavError(Exception):
    """Base class for every error NETNav raises on purpose."""

    exit_code = 1


class BadInputError(NetNavError):
    """The user's input cannot be used (exit code 2)."""

    exit_code = 2


class UnsupportedFormatError(BadInputError):
    """The file's format is not one NETNav reads."""


class EmptyDocumentError(BadInputError):
    """The file holds no usable text."""


class DecodeError(BadInputError):
    """The file's bytes cannot be decoded as text."""


class CorruptFileError(BadInputError):
    """The file is damaged or truncated (e.g. a broken PDF)."""


class NoTextLayerError(BadInputError):
    """A PDF has no text layer (scanned image); OCR is not supported."""


class FileTooLargeError(BadInputError):
    """The file exceeds the configured size limit."""


class InvalidQuestionError(BadInputError):
    """The question is empty, too long or otherwise unusable."""


class CaseFileError(BadInputError):
    """A --case file is missing or not a valid CaseProfile."""


class CaseNotFoundError(BadInputError):
    """No case with this id in the current session (HTTP 404)."""


class DocumentNotFoundError(BadInputError):
    """No document with this id among the ones the session uploaded (HTTP 404)."""


class SavedCaseNotFoundError(BadInputError):
    """No saved case with this name or id for this owner (HTTP 404)."""


class CaseNameTakenError(BadInputError):
    """The owner already has a case with this name (HTTP 409)."""


class KnowledgeError(NetNavError):
    """The built-in knowledge base or a data file failed validation."""


class ModelIntegrityError(NetNavError):
    """The embedding model's weights are missing or fail their checksum."""


class StoreError(NetNavError):
    """The index store is damaged or cannot be opened."""


class StoreUnavailable(StoreError):
    """The database server (PostgreSQL) cannot be reached or refused the connection; a server answers
    it with HTTP 503 and recovers once the database is back."""


class RegistryFetchError(NetNavError):
    """A registry download (ClinicalTrials.gov) failed after its retries; what was fetched is kept."""
