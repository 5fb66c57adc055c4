"""Who says what, at which stage: answers after « Réponse : », first-person statements, never the question line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from generation.pieces import DECLARATION_KINDS, PieceInfo, persons_in
from generation.salience import FIRST_PERSON, fold

_QUESTION = re.compile(r"^\s*(?:(?:question|demande|sur interpellation)s?\s*(?:à|a|de|pos[ée]e? à)?\s*"
                       r"(?P<who>[^:?]{0,60}?)\s*:|(?:question|demande)s?\s*[.\-–—]|(?:q|d)\s*[:.\-–—])\s*",
                       re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:r[ée]ponses?\s*(?:de|d'|à)?\s*(?P<who>[^:?]{0,60}?)\s*:|r[ée]ponses?\s*[.\-–—]"
                     r"|(?:r|rep)\s*[:.\-–—])\s*", re.IGNORECASE)
_OPENS_STATEMENT = re.compile(r"(d[ée]clare|d[ée]clarons|expose|relate|indique)\s*(ce qui suit)?\s*:\s*$", re.IGNORECASE)
_SAYS = re.compile(r"^(?P<who>(?:M\.|Mme|Monsieur|Madame)?\s*[^:]{0,60}?)\s+(d[ée]clare|indique|explique|pr[ée]cise"
                   r"|r[ée]pond|ajoute|conteste|reconna[iî]t|maintient|affirme)\s*(spontan[ée]ment)?\s*:\s*", re.IGNORECASE)
_ADDRESSED = re.compile(r"^\s*(?:Madame|Monsieur|Mademoiselle|M\.|Mme|Mlle)\s+(?:[A-ZÀ-Ý][a-zà-ÿ]+\s+)?"
                        r"[A-ZÀ-Ý]{2}[A-ZÀ-Ý'\-]+(?=\s*[,?])")
_OFFICER_SENTENCE = re.compile(r"^(nous|l'officier|l'agent|le juge|la juge|le greffier|avisons|notifions|rappelons"
                               r"|constatons|procedons|plaçons|placons|saisissons|annexons|mentionnons)\b", re.IGNORECASE)


@dataclass
class Said:
    """One sentence as read in a declaration piece: its text without the label, whether it is a question, and the
    speaker's surname key when the piece says who speaks."""
    text: str
    question: bool
    declared: bool
    speaker: str = ""
    turn: int = 0  # answers of one turn (after one « Réponse : ») share a number


class DeclarationReader:
    """Walks a piece's sentences in order, tracking question/answer turns and the speaker."""

    def __init__(self, piece: PieceInfo) -> None:
        self.piece = piece
        self.active = piece.kind in DECLARATION_KINDS
        self.turn = ""          # "q" after a question line, "a" inside an answer
        self.speaker = piece.heard[0][0] if piece.heard else ""
        self.asked = ""
        self.turn_id = 0

    def _who(self, text: str) -> str:
        folded = fold(text)
        for role, key in self.piece.roles.items():
            if role in folded or (role == "mis en examen" and re.search(r"mis en cause|prevenu|gard[ée] a vue", folded)):
                return key
        found = [self._resolve(k) for k, _ in persons_in(text, skip_headings=False)
                 if k.split()[0] not in self.piece.officials]
        return found[0] if found else ""

    def _resolve(self, key: str) -> str:
        """« LOURMEL » is the heard « LOURMEL KARIM » when the piece hears only one LOURMEL."""
        if " " in key:
            return key
        same = [k for k, _ in self.piece.heard if k.split()[0] == key]
        return same[0] if len(same) == 1 else key

    def read(self, text: str) -> Said:
        if not self.active:
            return Said(text, False, False)
        m = _QUESTION.match(text)
        if m and len(text) > len(m.group(0)):
            self.turn, self.turn_id = "q", self.turn_id + 1
            # « Question : Madame CHAOUI, le 3 mars … ? »: the person the question is put to answers it
            addressed = _ADDRESSED.match(text[m.end():])
            self.asked = self._who(m.group("who") or "") or (self._who(addressed.group(0)) if addressed else "")
            return Said(text[m.end():].strip(), True, False)
        m = _ANSWER.match(text)
        if m:
            self.turn, self.turn_id = "a", self.turn_id + 1
            who = self._who(m.group("who") or "") or self.asked
            self.speaker = who or (self.piece.heard[0][0] if self.piece.heard else "")
            return Said(text[m.end():].strip(), False, True, self.speaker, self.turn_id)
        m = _SAYS.match(text)
        if m and not _OFFICER_SENTENCE.match(text):
            who = self._who(m.group("who"))
            rest = text[m.end():].strip().strip("«»\" ")
            if rest:
                self.turn, self.turn_id = "a", self.turn_id + 1
                self.speaker = who or self.speaker
                return Said(rest, False, True, self.speaker, self.turn_id)
        if _OPENS_STATEMENT.search(text):
            self.turn, self.turn_id = "a", self.turn_id + 1
            return Said(text, False, False)
        if self.turn == "q" and text.rstrip().endswith("?"):
            return Said(text, True, False)
        if _OFFICER_SENTENCE.match(fold(text)):
            return Said(text, False, False)
        if self.turn == "a" or FIRST_PERSON.search(text):
            return Said(text, False, True, self.speaker, self.turn_id)
        return Said(text, False, False)


def stage_label(piece: PieceInfo) -> str:
    """« En garde à vue », « Devant le juge d'instruction (interrogatoire de première comparution) », …"""
    return {"garde_a_vue": "En garde à vue", "interrogatoire_premiere": "En interrogatoire de première comparution",
            "interrogatoire": "En interrogatoire devant le juge d'instruction", "confrontation": "En confrontation",
            "plainte": "Dans sa plainte", "audition_victime": "En audition",
            "audition_temoin": "En audition"}.get(piece.kind, "")
