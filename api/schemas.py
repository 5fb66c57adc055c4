"""Request and response bodies of the HTTP API (pydantic): validated on the way in, shown in the OpenAPI."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from orientation.decisions import MAX_REASON_CHARS, Changes

DOSSIER_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Health(BaseModel):
    status: Literal["ok"]


class Me(BaseModel):
    name: str
    role: str
    juridiction: str


class DossierIn(BaseModel):
    id: str = Field(min_length=1, max_length=100, pattern=DOSSIER_ID)
    title: str = Field("", max_length=200)


class JobAccepted(BaseModel):
    job: str = Field(description="Follow the ingestion at /api/jobs/{job}.")
    files: int


class CoteIn(BaseModel):
    cote: str = Field(min_length=1, max_length=20)


class SearchIn(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(8, ge=1, le=50)
    cotes: list[str] | None = Field(None, max_length=200)


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)


class DraftIn(BaseModel):
    kind: Literal["synthese", "detention", "requisitoire", "resume"]
    cote: str | None = Field(None, max_length=50)


class DecisionIn(BaseModel):
    action: Literal["accept", "modify", "reject"]
    changes: Changes = Field(default_factory=Changes)  # type: ignore[valid-type]
    reason: str | None = Field(None, max_length=MAX_REASON_CHARS)
    supersedes: int | None = Field(None, description="Number (seq) of the current decision this one replaces; "
                                   "required when a decision is already in force.")
