"""Error hierarchy with stable codes; messages meant for magistrates are in French."""
from __future__ import annotations


class AppError(Exception):
    """Base error: a stable machine code, a French message, optionally the faulty parameter."""

    code = "erreur_interne"
    http_status = 500

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code:
            self.code = code


class InvalidInput(AppError):
    code = "entree_invalide"
    http_status = 400


class NotFound(AppError):
    code = "introuvable"
    http_status = 404


class Forbidden(AppError):
    code = "interdit"
    http_status = 403


class Unauthorized(AppError):
    code = "non_authentifie"
    http_status = 401


class Conflict(AppError):
    """The request contradicts the current state (e.g. a decision that does not say which one it supersedes)."""

    code = "conflit"
    http_status = 409


class PayloadTooLarge(AppError):
    code = "trop_volumineux"
    http_status = 413


class TooManyRequests(AppError):
    code = "trop_de_tentatives"
    http_status = 429


class UnsupportedDocument(AppError):
    """A file that cannot be ingested: the code says why (corrupt, encrypted, empty...)."""

    code = "document_non_pris_en_charge"
    http_status = 422


class FileChanged(UnsupportedDocument):
    """A file modified while it was read or copied (read again once, then refused)."""

    code = "fichier_modifie"


class DamagedFile(AppError):
    """A stored file (original, converted PDF) whose bytes no longer match their SHA-256: never used as it is."""

    code = "fichier_endommage"
    http_status = 500


class UpstreamUnavailable(AppError):
    code = "service_indisponible"
    http_status = 503


class UpstreamBadResponse(AppError):
    code = "reponse_invalide_du_service"
    http_status = 502


class ConfigError(AppError):
    code = "configuration_invalide"
    http_status = 500
