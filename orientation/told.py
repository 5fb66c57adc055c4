"""What the person heard tells in an audition (the answer to a question, a first-person declaration) and what an
officer's question takes as established, for the facts other than the licence status (see orientation.answers):
insurance (« R : Oui, chez MAAF, l'attestation est dans la boîte à gants », « R : Non, résiliée en mars »), a
refused test (« R : Non, j'ai pas voulu souffler, ni la prise de sang »), a refused stop (« parce que j'ai refusé
de m'arrêter »), probation (« je suis encore en A », « plus maintenant, ça fait six ans »), an admitted use of
cannabis (« un joint vers 21 h »), a screening result put to the person (« L'éthylotest est pourtant positif,
qu'en dites-vous ? »).

The procedure's own sentences go through the statement rules of orientation.extract, which leave out the lines of
an audition (a question states nothing of the case, an answer is the person's claim). These rules read those lines
for what the speaker says of themself; the facts rules rank them below the officers' findings. Input is folded text
(orientation.lexicon.fold); offsets are those of that text."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from orientation.polarity import is_negated

# a question or answer marker at a line start (« Q : », « Question : », « D. », « R : », « Réponse : », « — »), or an
# answer marker right after a question mark on the same line (« Q. Avez-vous … ? R. Non, … »)
MARKER = re.compile(r"(?m)^\W{0,3}(?P<k>q|question|d|demande|r|rep|reponse)\s*[:.-]\s*|"
                    r"(?<=\?)\s*(?P<k2>r|rep|reponse)\s*[:.-]\s*")
YES = re.compile(r"\W*(?:oui|[o0]ui|ouais|bien sur|effectivement|absolument)\b")
NO = re.compile(r"\W*(?:non|nan|pas du tout|jamais|aucun\w*)\b")


@dataclass
class Exchange:
    question: str  # the question before the answer ("" when none)
    start: int  # the answer's span in the page's folded text
    end: int

    def text(self, f: str) -> str:
        return f[self.start:self.end]


# a declaration quoted in a procès-verbal (« M. G. déclare : « Je ne soufflerai pas » »): the person's own words
QUOTED = re.compile(r"(?:declare|indique|repond|dit|lance|precise|s'exclame|affirme)\w*\s*:?\s*[«\"]\s*([^»\"]{3,300})[»\"]")


def exchanges(f: str) -> list[Exchange]:
    """The answers of an audition, each with the question put before it; a quoted declaration is an answer with the
    sentence that introduces it as its question."""
    marks = list(MARKER.finditer(f))
    out: list[Exchange] = [Exchange(f[max(0, m.start() - 200):m.start(1)], m.start(1), m.end(1))
                           for m in QUOTED.finditer(f)]
    question = ""
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(f)
        kind = m.group("k") or m.group("k2")
        if kind in ("q", "question", "d", "demande"):
            question = f[m.end():end]
        else:
            out.append(Exchange(question, m.end(), end))
    return out


def questions(f: str) -> Iterator[tuple[int, int]]:
    marks = list(MARKER.finditer(f))
    for i, m in enumerate(marks):
        if (m.group("k") or "") in ("q", "question", "d", "demande"):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(f)
            yield m.end(), end


def _first_person(f: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """First-person statements anywhere on the page (an answer, a quoted declaration), not negated."""
    for m in pattern.finditer(f):
        if not is_negated(f, m.start(), m.end()):
            yield m


# --- insurance ------------------------------------------------------------------------------------------------
INSURANCE_QUESTION = re.compile(r"assur\w*|carte verte")
# the question is about the document at hand, not the contract (« avez-vous votre attestation sur vous ? »)
DOCUMENT_AT_HAND = re.compile(r"sur (?:vous|moi)|avec (?:vous|moi)|presenter|a la maison|chez (?:vous|moi)|oubli\w*")
UNINSURED_SAID = re.compile(r"\bje (?:ne suis|n'etais|ne suis plus|n'etais plus) (?:pas |plus )?assure\w*|"
                            r"\bje n'ai (?:pas|plus|jamais eu) d'assurance|\bpas (?:d'assurance|assure\w*)\b|"
                            r"\b(?:mon |l'|son |cette )?assurance (?:a ete |est |etait )?(?:resiliee|suspendue|expiree|"
                            r"terminee|finie)|\b(?:elle|il) (?:a ete |est |etait )?(?:resilie|expire|suspendu|termine)e?\b|"
                            r"\bresili\w*|\bje n'ai pas (?:encore )?(?:pu )?(?:paye|renouvele|refait|repris)|"
                            r"\bpas eu le temps de (?:la |l')?(?:refaire|renouveler|reprendre|payer)")
INSURED_SAID = re.compile(r"\bje suis (?:bien )?assure\w*|\b(?:elle|il|la voiture|le vehicule|la moto|le scooter) est "
                          r"(?:bien )?assure\w*|\bassure\w* (?:chez|aupres|a la|au)\b|\bchez (?:la |le |l')?[a-z]{3,}\b|"
                          r"\bl'attestation (?:est|se trouve)\b|\bcarte verte\b")
NOT_AN_INSURER = re.compile(r"chez (?:moi|lui|elle|nous|vous|eux|mes|ma|mon|ses|sa|son)\b")


def insurance_told(f: str) -> Iterator[tuple[bool, int, int]]:
    """(uninsured, start, end) of what the person heard says of the vehicle's insurance."""
    for x in exchanges(f):
        answer = x.text(f)
        if not INSURANCE_QUESTION.search(x.question + " " + answer):
            continue
        about_document = DOCUMENT_AT_HAND.search(x.question) is not None
        if (m := UNINSURED_SAID.search(answer)) and not about_document:
            yield True, x.start + m.start(), x.start + m.end()
        elif about_document:
            continue  # « Non, elle est restée chez moi »: the document is elsewhere, the contract unsaid
        elif YES.match(answer) and INSURANCE_QUESTION.search(x.question) or \
                (m := INSURED_SAID.search(answer)) and not NOT_AN_INSURER.match(answer, m.start()):
            yield False, x.start, x.end
        elif NO.match(answer) and INSURANCE_QUESTION.search(x.question) and \
                not re.search(r"\bmais\b[^.;]{0,40}\bassure", answer):
            yield True, x.start, x.end


# --- refusals ---------------------------------------------------------------------------------------------------
TEST_WORDS = r"(?:souffl\w*|ethylo\w*|alcootest|ballon|appareil|test\w*|depistage|prise de sang|prelevement|" \
             r"verifications?|analyse|salivaire|prise de salive)"
REFUSED_TEST_SAID = re.compile(rf"\bje ne (?:soufflerai|souffle|soufflerais|ferai|fais)\w* (?:pas|jamais|rien)\b|"
                               rf"(?:\bj'ai refuse|\bje (?:refuse|refusais)|\bj'(?:ai|avais) (?:pas|jamais) (?:voulu|accepte)|"
                               rf"\bje n'(?:ai|avais) (?:pas|jamais) (?:voulu|accepte)|\bje (?:ne )?(?:voulais|veux) pas|"
                               rf"\bje me suis oppose\w*|\bje m'y suis oppose\w*)\b[^.;!?]{{0,40}}?\b{TEST_WORDS}")
BARE_REFUSAL_SAID = re.compile(r"\W*(?:non\W+)?(?:je (?:ne )?(?:voulais|veux|voulait) pas|j'(?:ai|avais) pas voulu|"
                               r"je n'(?:ai|avais) pas voulu|j'ai refuse|je refuse|je refusais)\b")
ACCEPTED_TEST_SAID = re.compile(rf"\bj'ai (?:bien |tout de suite |accepte de )?souffle\b|"
                                rf"\bj'ai accepte (?:de |le |la |les |l')?(?:\w+ )?{TEST_WORDS}")
TEST_QUESTION = re.compile(rf"\b(?:accepte\w*|accepter|refuse\w*|soumis|soumettre|voulu)\b[^?]{{0,60}}{TEST_WORDS}|"
                           rf"{TEST_WORDS}[^?]{{0,40}}\b(?:accepte\w*|refuse\w*)")


def test_refusal_told(f: str) -> Iterator[tuple[bool, int, int]]:
    """(refused, start, end) of what the person heard says of the alcohol or drug tests."""
    for x in exchanges(f):
        answer = x.text(f)
        if m := REFUSED_TEST_SAID.search(answer):
            yield True, x.start + m.start(), x.start + m.end()
        elif m := ACCEPTED_TEST_SAID.search(answer):
            yield False, x.start + m.start(), x.start + m.end()
        elif re.search(TEST_WORDS, x.question) and (m := BARE_REFUSAL_SAID.match(answer)):
            yield True, x.start + m.start(), x.start + m.end()  # « Pourquoi n'avez-vous pas soufflé ? — Je voulais pas »
        elif TEST_QUESTION.search(x.question) and re.search(r"\baccept", x.question) and \
                not re.search(r"\brefus", x.question):
            if NO.match(answer):
                yield True, x.start, x.end
            elif YES.match(answer):
                yield False, x.start, x.end


REFUSED_STOP_SAID = re.compile(r"\bj'ai refuse de m'arreter|\bje (?:ne )?(?:me suis|m'etais) pas arrete\w*|"
                               r"\bje (?:ne )?m'(?:arretais|arrete) pas|\bj'(?:ai|avais) (?:pas|jamais) (?:obei|obtempere|"
                               r"voulu m'arreter)|\bje n'(?:ai|avais) (?:pas|jamais) (?:obei|obtempere|voulu m'arreter)|"
                               r"\bj'ai force le (?:barrage|controle|passage)|\bj'ai pris la fuite|\bje me suis enfui\w*|"
                               r"\bj'ai (?:fui|accelere|fait demi-tour)\b")
POLICE_CONTEXT = re.compile(r"signe|gendarm\w*|polic\w*|flics?|keufs?|controle|sirene|gyrophare|deux-tons|barrage|"
                            r"poursui\w*|\bagents?\b|patrouille|uniforme|\bbaqueux\b|\bbac\b|motards? de la")


def stop_refusal_told(f: str) -> Iterator[tuple[int, int]]:
    """Spans where the person heard says they did not stop for the officers."""
    for x in exchanges(f):
        answer = x.text(f)
        m = REFUSED_STOP_SAID.search(answer)
        if m and POLICE_CONTEXT.search(x.question + " " + answer):
            yield x.start + m.start(), x.start + m.end()


STOP_REFUSAL_ASKED = re.compile(r"\bpourquoi (?:ne vous etes-vous pas arrete\w*|n'avez-vous pas (?:obtempere|obei|voulu vous "
                                r"arreter)|avez-vous (?:refuse de vous arreter|pris la fuite|accelere|force le (?:barrage|"
                                r"controle|passage))|vous etes-vous enfui\w*|avoir pris la fuite)")


def stop_refusal_asked(f: str) -> Iterator[tuple[int, int]]:
    """Spans where an officer's question takes the refused stop as established (« Pourquoi ne vous êtes-vous pas
    arrêté quand les policiers vous ont fait signe ? ») and the answer does not deny it."""
    for x in exchanges(f):
        m = STOP_REFUSAL_ASKED.search(x.question)
        if m and POLICE_CONTEXT.search(x.question) and not re.match(r"\W*(?:non|mais je me suis arrete|je me suis "
                                                                     r"(?:bien )?arrete)", x.text(f)):
            at = f.rfind(x.question, 0, x.start) if x.question else -1
            yield (at + m.start(), at + m.end()) if at >= 0 else (x.start, x.end)


# --- probation --------------------------------------------------------------------------------------------------
PROBATION_QUESTION = re.compile(r"probatoire|jeune conducteur|disque a\b|\ble a\b|\ben a\b")
ON_PROBATION_SAID = re.compile(r"\bje suis (?:encore |toujours |bien )*(?:en |sous )?(?:permis |periode )?probatoire\b|"
                               r"\bje suis (?:encore |toujours )*en a\b|\bj'ai (?:encore|toujours) (?:le|mon) "
                               r"(?:disque |macaron |signe |autocollant |logo )?(?:a\b|\"a\")|"
                               r"\b(?:mon )?permis (?:est )?(?:encore |toujours )probatoire|\bje suis (?:un )?jeune conducteur|"
                               r"\ben probatoire depuis\b")
OFF_PROBATION_SAID = re.compile(r"\bje ne suis plus (?:en |sous )?(?:a\b|permis probatoire|probatoire|periode probatoire|"
                                r"(?:un )?jeune conducteur)|"
                                r"\b(?:ma |la )periode probatoire est (?:finie|terminee|passee)|\bplus maintenant\b|"
                                r"\bc'est fini\b|\bplus depuis\b|\bhors probatoire\b")
LONG_AGO = re.compile(r"\b(?:ca fait|il y a|depuis) (?:plus de )?(\d+|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
                      r"quinze|vingt) ans\b")


def probation_told(f: str) -> Iterator[tuple[bool, int, int]]:
    """(on probation, start, end) of what the person heard says of their probationary licence."""
    for x in exchanges(f):
        answer = x.text(f)
        if m := ON_PROBATION_SAID.search(answer):
            if not is_negated(answer, m.start(), m.end()):
                yield True, x.start + m.start(), x.start + m.end()
                continue
        asked = PROBATION_QUESTION.search(x.question) is not None
        if m := OFF_PROBATION_SAID.search(answer):
            if asked or re.search(r"probatoire|\ba\b|jeune conducteur", answer):
                yield False, x.start + m.start(), x.start + m.end()
        elif asked and NO.match(answer) or asked and LONG_AGO.search(answer):
            yield False, x.start, x.end
        elif asked and YES.match(answer):
            yield True, x.start, x.end


# --- drug use admitted ------------------------------------------------------------------------------------------
DRUG_WORDS = r"(?:joints?|petards?|cannabis|shit|herbe|beuh|spliff|bedo|weed|resine|haschi\w*|cocaine|coke|rails?|" \
             r"ecstasy|mdma|stupefiants?|drogues?|produits? stupefiants?)"
ADMISSION = re.compile(rf"(?:\bj'(?:ai|avais)|\bje (?:l'ai|les ai)|\breconn(?:ai\w*|u|ue) (?:avoir|qu'(?:il|elle) a(?:vait)?)|"
                       rf"\badmet\w* (?:avoir|qu'(?:il|elle) a(?:vait)?)|\bavou\w* (?:avoir|qu'(?:il|elle) a(?:vait)?)|"
                       rf"\b(?:declare|indique|explique|precise|dit)\w* (?:avoir|qu'(?:il|elle) a(?:vait)?))\s+"
                       rf"(?:\w+\s+){{0,2}}?(?:fume|consomme|pris|tire|sniffe|avale|partage)\b[^.;!?]{{0,40}}?\b{DRUG_WORDS}")
TAKEN_QUESTION = re.compile(r"\b(?:pris|consomme|fume|bu|avale|sniffe)\b|qu'avez-vous (?:pris|consomme)")
DRUG_QUESTION = re.compile(rf"stupefiant|drogue|cannabis|fume|joint|consomm\w*|produits?|{DRUG_WORDS}")


def drug_use_admitted(f: str) -> Iterator[tuple[int, int]]:
    """Spans where the person admits a use of drugs (their own words or reported: « il reconnaît avoir fumé du
    cannabis »); an admission is no test result, so it names no substance for the file."""
    seen: set[int] = set()
    for m in ADMISSION.finditer(f):
        if not is_negated(f, m.start(), m.end()) and not re.search(r"\bne\s+(?:\w+\s+)?$|\bn'\w*\s+(?:pas|jamais)?\s*$",
                                                                   f[max(0, m.start() - 12):m.start()]):
            seen.add(m.start())
            yield m.start(), m.end()
    for x in exchanges(f):
        answer = x.text(f)
        if x.start in seen:
            continue
        # « Qu'avez-vous pris ce soir-là ? — Un peu de coke, un trait, vers minuit »: the product named as the answer
        named = re.match(rf"\W*(?:(?:un peu|beaucoup|une ligne|un trait|un rail|une trace) (?:de |d')|du |de la |des |de l'|"
                         rf"un |une |deux |trois )?{DRUG_WORDS}\b", answer)
        if named and TAKEN_QUESTION.search(x.question) and not NO.match(answer):
            yield x.start + named.start(), x.start + named.end()
            continue
        if not DRUG_QUESTION.search(x.question):
            continue
        if YES.match(answer) and re.search(DRUG_WORDS, x.question + " " + answer):
            yield x.start, x.end


# --- a screening result put in a question -----------------------------------------------------------------------
SCREEN_PREMISE = re.compile(r"(?:ethylotest|alcootest|chronotest|depistage (?:de l'|d')?(?:alcool\w*|impregnation)|"
                            r"test d'alcoolemie|depistage alcool\w*)\b[^.;?]{0,40}?\b(?:est|etait|s'est revele|s'avere|"
                            r"a ete|se revele|s'etait revele|a vire au|avait vire au)\s+(?:\w+\s+)?(positi\w*|negati\w*|"
                            r"rouge|vert)")


def screening_in_questions(f: str) -> Iterator[tuple[bool, int, int]]:
    """(negative, start, end) of an alcohol screening result an officer's question takes as established."""
    for a, b in questions(f):
        for m in SCREEN_PREMISE.finditer(f, a, b):
            yield m.group(1).startswith(("negati", "vert")), m.start(), m.end()


# --- licence status ---------------------------------------------------------------------------------------------
LICENCE_QUESTION = re.compile(r"\bpermis\b|\btitulaire\b|droit a conduire|\bpoints?\b|48 ?si\b")
# what the person says of their own licence, most specific first; « me l'a annulé », « je l'ai jamais eu »
LICENCE_SAID: list[tuple[str, re.Pattern]] = [
    ("invalidated", re.compile(r"48 ?s[il1]\b|\b(?:plus|pas) (?:aucun|de|d'un seul) points?\b|\bzero point|\b0 point|"
                               r"\b(?:perdu|epuise) (?:tous )?(?:mes|les) (?:derniers |\w+ )?points|\binvalid\w*|"
                               r"\bsolde (?:de points )?(?:est )?(?:nul|a zero)")),
    ("annulled", re.compile(r"\bannul\w*")),
    ("suspended", re.compile(r"\bsuspen\w*|\bretir\w* (?:\w+ ){0,2}(?:par )?(?:la |le )?(?:prefe\w*|sous-prefe\w*|"
                             r"gendarm\w*|polic\w*|flics?)|\b(?:on|ils) (?:me l'a|me l'ont|m'a|m'ont) (?:pris|retire)")),
    ("never_held", re.compile(r"\bjamais (?:eu|passe|obtenu|reussi)(?= (?:le |mon |de |son |un )?permis|"
                              r"\s*(?:l'examen|le code|les epreuves)|\s*[.,;!]|\s*$)|\bjamais ete titulaire|"
                              r"\bje (?:ne l'ai|l'ai) (?:jamais|pas) (?:eu|passe|obtenu)\b|"
                              r"\bje n'ai (?:pas|jamais eu) (?:le|de|mon|un) permis|\bpas (?:de|le) permis\b|"
                              r"\bje ne suis (?:pas|plus) titulaire|\bje ne (?:le |l')?(?:possede|detiens) pas|"
                              r"\bsans (?:avoir )?(?:le )?permis\b")),
    ("valid", re.compile(r"\b(?:il|elle|mon permis|le permis) est (?:toujours |bien )?(?:valable|valide|en regle|"
                         r"en cours de validite)|\bje suis (?:bien )?titulaire\b|\bj'ai (?:bien )?(?:mon|le) permis\b|"
                         r"\bj'ai (?:encore |toujours )?(?:tous|mes) (?:mes )?(?:douze |12 )?points\b")),
]
# the question asks whether the person holds a licence at all (a « oui » is a valid licence, a « non » none)
HOLDING_QUESTION = re.compile(r"\b(?:etes-vous|vous etes|etiez-vous) (?:\w+ )?titulaire\b|\bavez-vous (?:\w+ )?(?:le|un|votre) "
                              r"permis\b|\bvous avez (?:\w+ )?(?:le|un) permis\b|\bpossedez-vous (?:\w+ )?(?:le|un) permis|"
                              r"\best-ce que vous avez (?:le|un) permis")
# the question asks whether a measure hit the licence (« Votre permis est-il suspendu ? »): a « oui » is that measure
MEASURE_ASKED = [(s, p) for s, p in LICENCE_SAID if s in ("invalidated", "annulled", "suspended")]
VALIDITY_ASKED = re.compile(r"\bpermis\b[^?]{0,30}\b(?:valide|valable|en regle|en cours de validite)\b|"
                            r"\b(?:valide|valable)\b[^?]{0,20}\bpermis\b")
LOST_SAID = re.compile(r"\bsuspen\w*|\bannul\w*|\bretir\w*|\binvalid\w*|\bplus de points|48 ?si\b|\bplus\b")


def licence_told(f: str) -> Iterator[tuple[str, int, int]]:
    """(status, start, end) of what the person heard says of their own licence in an answer: « R : Non, je ne l'ai
    jamais eu », « Oui, la préfecture me l'a suspendu », « Oui, depuis 2012 », a « oui » to « Votre permis est-il
    annulé ? ». Another person's licence (« celui de ma femme ») is left out. A bare « oui » to « Êtes-vous
    titulaire du permis ? » holds only when no later answer tells a measure (« Non, je n'avais plus de points »)."""
    told = list(_licence_answers(f))
    measures = [t for t in told if t[0] in ("suspended", "annulled", "invalidated")]
    yield from (t for t in told if not (measures and t[0] == "valid"))


OTHER_KIN = re.compile(r"\b(?:ma|mon|sa|son) (?:femme|mari|compagne?|copine|copain|frere|soeur|pere|mere|ami\w*|"
                       r"cousin\w*|passag\w*)\b|\bcelui de\b|\bcelui d'")
# a follow-up question on the licence the question before named (« Est-il toujours valable ? »)
FOLLOW_UP = re.compile(r"\b(?:est-il|etait-il|l'avez-vous|l'aviez-vous|il est|il etait)\b|\ble permis\b")


def _licence_answers(f: str) -> Iterator[tuple[str, int, int]]:
    on_licence = False
    for x in exchanges(f):
        answer = x.text(f)
        question = x.question[-300:]
        about = bool(LICENCE_QUESTION.search(question)) or \
            on_licence and bool(FOLLOW_UP.search(question)) and not re.search(r"assur|vehicule|attestation", question)
        on_licence = about
        if not (about or LICENCE_QUESTION.search(answer)):
            continue
        said = None
        for status, pattern in LICENCE_SAID:
            m = pattern.search(answer)
            if m and (status in ("never_held", "invalidated") or not is_negated(answer, m.start(), m.end())):
                # « je conduis la voiture de ma mère » does not make the answer hers; « celui de ma femme est
                # suspendu » does: the other person in the status's own clause
                clause = re.split(r"[,;.!]", answer[:m.start()])[-1] + answer[m.start():m.end() + 30].split(",")[0]
                if OTHER_KIN.search(clause):
                    break
                said = status, x.start + m.start(), x.start + m.end()
                break
        if said:
            yield said
            continue
        if OTHER_KIN.search(answer) and (YES.match(answer) or NO.match(answer)) and not said:
            continue
        asked = next((s for s, p in MEASURE_ASKED if p.search(question)), None)
        if asked and YES.match(answer):
            yield asked, x.start, x.end
        elif VALIDITY_ASKED.search(question) and not asked and YES.match(answer) and not LOST_SAID.search(answer):
            yield "valid", x.start, x.end  # « Votre permis est-il valide ? — Oui, j'ai tous mes points »
        elif HOLDING_QUESTION.search(question) and not asked and \
                not re.search(r"probatoire|categorie|\b(?:a1|a2|am|be|c|d)\b|" + DOCUMENT_AT_HAND.pattern, question):
            if NO.match(answer):
                yield "never_held", x.start, x.end
            elif YES.match(answer) and not LOST_SAID.search(answer):
                yield "valid", x.start, x.end
