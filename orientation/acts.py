"""What the driver did, told in prose: accepted a test, obeyed a stop. A statement is found by meaning — a verb of
the right family in any finite form, the thing it bears on (a test, an order to stop) in its sentence or, through a
pronoun (« il s'y soumet », « ce qu'il fait »), in the sentence before — then its polarity and scope: « ne s'oppose
pas », « ne fait aucune difficulté », « sans protester » are consents; a negated consent is none; the officers'
proposal (« nous lui proposons de se soumettre ») is not the driver's act.

Every verb table of these two families lives here, read by the fact rules of orientation.extract: consent to or
refusal of a test (CONSENT, OPPOSE, TEST_ACCEPTED, NOT_ACCEPTED, REFUSE_TEST, BARE_REFUSAL) and stopping, obeying or
refusing to stop (STOP_ACT, STOPPED, COMPLIED, REFUSE_COMPLY, STOP_ORDER_THEN_GONE, FORCED_STOP), with the words of
an order to stop (STOP_ORDER, ORDER) and of the officers' proposal (PROPOSAL).

Pure functions on folded text (orientation.lexicon.fold: lower case, no accents)."""
from __future__ import annotations

import re

from orientation.polarity import is_negated

# what a test is called (alcohol or drugs; breath, saliva, blood, medical examination)
TEST = re.compile(r"souffl\w*|ethylometre|ethylotest|alcootest|chronotest|depistages?|verifications?|epreuves?|"
                  r"recueil\w* (?:salivaire|sanguin|urinaire)|controle de l'alcoolemie|prelevements?|prise de sang|"
                  r"analyses? (?:sanguine|de sang|salivaire)|\btests?\b|kit\b|"
                  r"controle (?:d'alcoolemie|de l'alcoolemie|par ethylo\w*|de l'impregnation|salivaire)|"
                  r"examens? (?:medical|clinique|biologique)|l'appareil\b|le ballon\b|drugwipe")
# verbs of consent, finite forms only (an infinitive is what the officers asked: « invité à se soumettre »)
CONSENT = re.compile(r"\b(?:accept(?:e|es|ent|ait|aient|a|e|ee|ant)|consent(?:|s|ait|aient|i|ant)|"
                     r"(?:se |s'y |y )soum(?:et|ettent|ettait|it)|s'(?:est|etait|etant|y est) (?:\w+ )?soumise?|"
                     r"(?:se |s'y |s'est |s'etant )pret(?:e|ent|ait|a|ee|ant)|"
                     r"(?:se |s'y |s'est |s'etant )pli(?:e|ent|ait|a|ee|ant)|"
                     r"s'(?:y )?execut(?:e|ent|ait|a|ee|ant)|s'est execute\w*|"
                     r"(?:donne|donnait|donnant|a donne|donna) (?:son|leur) (?:accord|consentement)|"
                     r"coopere(?:|nt)|cooperait|collabore(?:|nt)|collaborait|"
                     r"(?:realise|effectue|pratique) (?:sans difficulte |volontiers )?(?:le|les|la|l'|un|une) "
                     r"(?=(?:\w+ )?(?:depistage|test|souffle|prelevement|epreuve)))")
# verbs of opposition: negated (« ne s'oppose pas », « ne fait aucune difficulté », « sans protester ») they consent
OPPOSE = re.compile(r"s'oppos\w*|\boppose\w*|rechign\w*|protest\w*|resist\w*|se derob\w*|"
                    r"\bfai\w* (?:de |des |la moindre |aucune |une )?difficultes?|\bdifficultes? (?:pour|a)\b|"
                    r"\bobjection\w*")
# the officers ask for the test or tell the person it is coming (« Avisons l'intéressée qu'elle va être soumise aux
# vérifications », « lui notifions », « l'informons »)
PROPOSAL = re.compile(r"invit\w*|propos\w*|requi\w*|demand\w*|somm\w*|enjoin\w*|prions|proced\w*|soumise?s? a|"
                      r"sollicit\w*|\ba souffler|\bde souffler|\bavis\w*|inform\w*|notifi\w*|\bindiqu\w*|"
                      r"avert\w*|va (?:etre )?(?:soumise?|proceder)|doit se soumettre|devoir se soumettre")
PRONOUN = re.compile(r"\bcoopere\w*|\bcollabore\w*|\bs'y\b|\by (?:consent|souffle|procede|soumet)|\bce (?:qu|a quoi)|"
                     r"\ble fait\b|\bl'accepte\b|"
                     r"s'execut\w*|volontiers|sans difficulte|de bonne grace|sans protester|sans rechigner|"
                     # a consent verb with no object (« Elle accepte. », « L'intéressé accepte immédiatement. »)
                     r"\b(?:accept|consent)\w*\s*(?:[.;,]|$|\b(?:immediatement|aussitot|sans|volontiers|"
                     r"spontanement|de bonne grace)\b)")
NE_BEFORE = re.compile(r"\b(?:ne|n')\s*(?:(?:se|s'|y|l'|le|la|les|lui|leur|en|me|m')\s*){0,2}"
                       r"(?:(?:a|ont|avait|avaient|est|etait|ai|eut)\s+)?$")
NEG_AFTER_VERB = re.compile(r"^\s*(?:\w+\s+){0,1}?(?:pas|plus|jamais|nullement|point|guere|aucune?|a aucun moment|"
                            r"en aucune (?:facon|maniere))\b")


def verb_negated(sent: str, start: int, end: int) -> bool:
    """« ne s'oppose pas », « n'a à aucun moment refusé », « ne fait aucune difficulté »: the verb between « ne » and
    its negative word (is_negated reads the clause before a statement; French wraps the verb itself)."""
    head = sent[max(0, start - 20):start]
    if not NE_BEFORE.search(head):
        return False
    inside = sent[start:end]
    return bool(re.search(r"\b(?:pas|plus|jamais|aucune?)\b", inside) or NEG_AFTER_VERB.search(sent[end:end + 30]))


def negated(sent: str, start: int, end: int) -> bool:
    return verb_negated(sent, start, end) or is_negated(sent, start, end)


OTHER_ACTOR = re.compile(r"\b(?:passag\w*|temoin\w*|victime|pieton\w*|nous|agents?|gendarmes?|policiers?|medecin)\s+$")


def consent_to_test(sent: str, prev: str = "") -> tuple[int, int] | None:
    """The span of the driver's consent to a test in `sent` (folded), or None. `prev` is the sentence before, for a
    consent told through a pronoun (« Nous l'invitons à souffler. Il s'y prête volontiers. »)."""
    if "?" in sent:
        return None
    has_test = bool(TEST.search(sent))
    if not has_test and not (TEST.search(prev) and PROPOSAL.search(prev) and PRONOUN.search(sent)):
        return None
    for m in CONSENT.finditer(sent):
        if OTHER_ACTOR.search(sent[max(0, m.start() - 25):m.start()]):
            continue
        if re.match(r"\w", sent[m.end():m.end() + 1]):
            continue
        if negated(sent, m.start(), m.end()) and not re.search(r"\bne\s+(?:\w+\s+)?que\b", sent[:m.start()]):
            continue
        return m.start(), m.end()
    for m in OPPOSE.finditer(sent):
        if OTHER_ACTOR.search(sent[max(0, m.start() - 25):m.start()]):
            continue
        if negated(sent, m.start(), m.end()) or re.search(r"\bsans\s+(?:\w+\s+)?$", sent[max(0, m.start() - 15):m.start()]):
            return m.start(), m.end()
    return None


# a refusal told with no object, the test named by the sentence before (« Nous l'informons qu'il va être soumis aux
# vérifications. Il refuse. », « Elle s'y oppose formellement. »)
BARE_REFUSAL = re.compile(r"^\W*refus\b(?=\s*[.;!]?\s*$)|"  # « Lui proposons l'éthylomètre. Refus. »
                          r"\b(?:refus(?:e|ent|ait|aient|a)|a refuse|s'y (?:refus|oppos)\w*|oppose un refus|"
                          r"(?:se |s')oppos(?:e|ent|ait|a)\b(?! (?:pas|nullement|aucunement)))"
                          r"(?=\s*(?:[.;,]|$|\b(?:categoriquement|formellement|net|nettement|obstinement|"
                          r"expressement|aussitot|egalement|immediatement)\b|"
                          # « Il refuse en indiquant qu'il veut attendre son avocat »: the refusal and its reason
                          r"\s*(?:en (?:indiquant|expliquant|declarant|arguant|pretextant|affirmant|precisant|disant|"
                          r"invoquant)|au motif|sans (?:donner|fournir|motif|explication)|tant qu|avant d)\b))")


def refusal_told_back(sent: str, prev: str = "") -> tuple[int, int] | None:
    """The span of a refusal whose test is told in the sentence before (a proposal or a notice), or None."""
    if "?" in sent or not (TEST.search(prev) and PROPOSAL.search(prev)) or TEST.search(sent):
        return None
    for m in BARE_REFUSAL.finditer(sent):
        if OTHER_ACTOR.search(sent[max(0, m.start() - 25):m.start()]) or negated(sent, m.start(), m.end()):
            continue
        return m.start(), m.end()
    return None


# stopping, obeying: finite forms (« s'arrêter » alone is the order, not the act)
STOP_ACT = re.compile(r"\b(?:s'arret(?:e|ent|ait|aient|a)|s'(?:est|etait|etant|etre) (?:\w+ )?arrete\w*|"
                      r"arret(?:e|ent|ait|a) (?:son|sa|le|la|leur) \w+|stationn(?:e|ent|ait) (?:le long|sur|au|a|en)|"
                      r"coup(?:e|ent|ait|a) (?:son|le|sa) (?:moteur|contact)|"
                      r"s'immobilis(?:e|ent|ait|a)|s'(?:est|etait|etant) (?:\w+ )?immobilise\w*|"
                      r"immobilis(?:e|ent|ait|a|ant) (?:\w+ )?(?:son|sa|le|la|leur|l') ?\w+|"
                      r"stopp(?:e|ent|ait|a|ant) (?:\w+ )?(?:son|sa|le|la|leur|l') ?\w+|"
                      r"(?:se|s'est|s'etait) (?:\w+ )?(?:range|gare)\w*|gar(?:e|ent|ait|a) (?:son|sa|le|la) \w+|"
                      r"rang(?:e|ent|eait|ea) (?:son|sa|le|la) \w+|"
                      r"obtemper(?:e|ent|ait|a)|a obtempere|ayant obtempere|obei(?:t|ssent|ssait|ssant)|a obei|"
                      r"se conform(?:e|ent|ait|a)|s'est conforme\w*|s'execut(?:e|ent|ait|a)|s'est execute\w*|"
                      r"ce qu'(?:il|elle) fait|ce qu'(?:il|elle) a fait)\b")
# an order to stop: the strict words (STOP_ORDER, read where a stop is told in the same sentence) and, for the
# context of a stop told by its verb (ORDER), the wider cues of a police stop
_STOP_ORDER_WORDS = (r"injonction|sommation|\bsignal\b|\bsignaux\b|a (?:notre|nos|leur|sa) demande|gyrophare|"
                     r"interpell\w*|invite\w* a s'arreter|geste|ordre d'arret|controle routier|sur notre demande")
STOP_ORDER = re.compile(_STOP_ORDER_WORDS)
ORDER = re.compile(_STOP_ORDER_WORDS + r"|dispositif lumineux|\bsigne\b|\bordres?\b|sur leur demande|avertisseurs?|"
                   r"deux-tons|palette|baton|invit\w* a s'arreter|"
                   r"(?<!perdu le )(?<!perd le )(?<!perdant le )(?<!perte de )(?<!perte du )controle|"
                   r"s'arreter|s'immobiliser|se ranger")


# a stop the traffic commands, not the officers (« s'arrête au feu rouge »)
TRAFFIC_STOP = re.compile(r"\s*(?:\w+\s+)?(?:au|a un|devant le) (?:feu|stop|passage a niveau|cedez|carrefour|peage)")
# what the person says he did is a claim, not the officers' finding (« il conteste avoir refusé », « affirme avoir
# obtempéré »)
CLAIM = re.compile(r"\b(?:contest\w*|ni(?:e|ent|ait)|niant|deni\w*|affirm\w*|pretend\w*|soutien\w*|soutenu)\s+(?:avoir|"
                   r"ne pas|n'avoir|"
                   r"qu'(?:il|elle)|s'etre|etre)")


def stop_obeyed(sent: str, prev: str = "") -> tuple[int, int] | None:
    """The span where the driver stops or obeys an order to stop, or None."""
    if "?" in sent or re.search(r"refus|\bomis|malgre|\bsans (?:s'arreter|obtemperer)|s'(?:il|elle)\b", sent) or \
            CLAIM.search(sent):
        return None
    for m in STOP_ACT.finditer(sent):
        if OTHER_ACTOR.search(sent[max(0, m.start() - 25):m.start()]):
            continue
        context = sent + " " + prev
        if negated(sent, m.start(), m.end()) or TRAFFIC_STOP.match(sent, m.end()) and not ORDER.search(context):
            continue
        if m.group(0).startswith(("obtemper", "a obtemper", "ayant obtemper")) or ORDER.search(context):
            if m.group(0).startswith("ce qu") and not re.search(r"s'arreter|s'immobiliser|se ranger|se garer", context):
                continue
            return m.start(), m.end()
    return None


# --- refusing to stop, refusing a test: the tables the fact rules of orientation.extract read ---------------
REFUSE_COMPLY = re.compile(r"refus\w* d'obtemperer|omis\w* (?:sciemment |volontairement )?d'obtemperer|"
                           r"omission d'obtemperer|(?:ne pas|n'a pas|n'avoir pas|sans) obtempere\w*|n'obtemper\w* pas|"
                           r"refus d'obtemperation|se soustraire (?:au|a un|a son) controle|"
                           r"ignor\w* (?:les |nos |leurs |toutes les )?(?:injonctions|sommations|signaux|ordres? d'arret)|"
                           r"forc\w* (?:le|un) (?:barrage|point de controle)|(?:ne s'arrete|ne s'arretant) pas malgre|"
                           r"(?:(?:ne s'est pas|ne s'etant pas)(?: \w+)? |sans s'(?:etre )?)arrete\w* malgre|"
                           r"accelere\w* (?:brusquement )?(?:pour|afin de) (?:echapper|se soustraire|fuir|prendre la fuite)|"
                           r"refus\w* de s'arreter|(?:demi-tour|accelere\w*|redemarre\w*|prend la fuite|s'enfuit|"
                           r"poursuit sa route|force\w* le passage)[^.;]{0,60}\bmalgre (?:les |nos |leurs |l'|le )?"
                           r"(?:injonctions?|sommations?|ordres?|signaux|gestes?|signes?)|"
                           r"ignor\w* (?:le |les )?(?:geste|signe|signal)s? d'arret|"
                           r"(?:sans tenir|ne tien\w* (?:aucun|pas)|ne ten\w* (?:aucun|pas)) compte (?:des|de nos|de leurs|"
                           r"de l'|du|de notre) (?:\w+ )?(?:injonctions?|sommations?|signaux|signal|ordres?|gestes?|"
                           r"gyrophare|avertisseurs?|signes?)|"
                           r"ignor\w* (?:le|un) (?:signal|ordre|panneau) d'arret|"
                           r"malgre (?:[^.;]{0,90}?)(?:injonctions|sommations|ordre[^.;]{0,25}(?:arret|s'arreter)|"
                           r"signal d'arret|signaux|deux-tons|gyrophare|avertisseurs|palette|baton lumineux|gestes?|"
                           r"signes?)[^.;]{0,140}?(?:accelere|prend la fuite|poursuit sa route|continue|"
                           r"ne s'arrete pas|force|redemarre|demarre|demi-tour|s'enfui\w*|s'echapp\w*|rebrouss\w*|"
                           r"s'eloign\w*|disparai\w*|fonce\w*|prend la direction)")
COMPLIED = re.compile(r"\bobtemper\w*\s+(?:immediatement|aussitot|aux|a nos|a l'ordre|sans difficulte|et)|"
                      r"\barret (?:du vehicule |immediat )(?:\w+ ){0,3}?(?:a notre|sur notre|au signal|sans difficulte|aussitot)|"
                      r"s'arrete\w*\s+(?:docilement|immediatement|aussitot|sans difficulte|des que|a notre|au signal|"
                      r"a nos)|s'est arrete des (?:que|l')|se range (?:sur|immediatement|docilement)|"
                      r"s'immobilise\w*\s+(?:aussitot|immediatement|docilement|sans difficulte)|"
                      r"\bobtempere\b|s'arrete\w* (?:spontanement|de lui-meme|volontairement|sans difficulte)|"
                      r"(?:s'est|se) (?:spontanement |aussitot |immediatement )?(?:arrete|immobilise)e? "
                      r"(?:\w+ )?a (?:notre|nos|leur|son) "
                      r"(?:signal|signaux|injonction|demande|premiere)")


# a stop told as done in a sentence that tells the order (« sur notre injonction, le conducteur s'arrête »)
STOPPED = re.compile(r"s'arrete\w*|s'immobilise\w*|immobilise\w* (?:son|le|sa) (?:vehicule|voiture|moto\w*|scooter|"
                     r"camion|fourgon|engin|automobile|cyclomoteur)|stoppe\w* (?:son|le|sa) \w+|"
                     r"(?:se|s'est|se sont) (?:range|gare)\w*|se (?:range|gare)\w*")


STOP_ORDER_THEN_GONE = re.compile(r"(?:signe|ordre|injonctions?|sommations?|intime l'ordre)\s+(?:clair\w* )?"
                                  r"(?:de s'arreter|d'arret|de s'immobiliser|de couper le moteur)[^§]{0,220}?"
                                  r"\b(?:demarre\w*|accelere\w*|prend la fuite|redemarre\w*|poursuit sa route|"
                                  r"s'enfuit|force le passage|passe la premiere)")


HELD = re.compile(r"(?:tribunal|cour|juridiction|juge)[^.;]{0,40}\b(?:retient|a retenu|declare coupable|entre en voie de "
                  r"condamnation)|infraction (?:est |etant )?(?:etablie|caracterisee|constituee)|\brelax\w*")


FORCED_STOP = re.compile(r"\b(?:finalement|enfin|apres (?:une|la|plusieurs) (?:course|poursuite|kilometres)|poursuite|contraint|"
                         r"force\w* a|bloque\w*|accul\w*|intercept\w*|rattrap\w*|herse|immobilise\w* par|cerne\w*|"
                         r"(?:finit|fini|termine) (?:par|sa course))")


REFUSE_TEST = re.compile(r"refus\w* (?:categoriquement |formellement |expressement |ensuite |egalement )?(?:de (?:se soumettre|"
                         r"subir|proceder|se preter) )?(?:a |aux |au |a l'|a la |a des |a une |les |le |la |l'|tout |toute )?"
                         r"(?:verifications?|epreuves?|depistages?|"
                         r"prelevements?|analyses?|examens? (?:medical|clinique|biologique)|souffler|ethylometre|ethylotest|"
                         r"test|mesures?|operations? de depistage)|refus\w* (?:de|categoriquement de) souffler|"
                         r"refus\w* de se soumettre\b|refus de verification|refus\w* (?:le|du|tout) (?:depistage|test|"
                         r"prelevement|souffle)|refus\w* de (?:nous suivre|se rendre|se laisser conduire)[^.;]{0,50}"
                         r"(?:verification|ethylometre|prelevement|prise de sang)|"
                         r"(?:prise de sang|prelevement sanguin|analyse sanguine)[^.;]{0,12}qu'il refuse|"
                         # « oppose un refus catégorique au dépistage », « ne veut pas souffler », « se refuse à subir »
                         r"oppos\w* un refus (?:\w+ )?(?:a|au|aux|a la|a l')\s?(?:\w+ )?(?:verification|epreuve|depistage|"
                         r"prelevement|test|ethylometre|souffle|prise de sang|examen)|"
                         # « s'être soustrait aux vérifications »
                         r"soustr\w* (?:aux|a la|au|a l'|a une|a un) (?:\w+ )?(?:verifications?|epreuves?|depistages?|"
                         r"prelevements?|tests?|ethylometre|prise de sang|examens?)|"
                         # « reconnaît s'être opposée à la prise de sang », « s'oppose au dépistage »
                         r"s'(?:etre |est |etait |etant )?oppose\w* (?:a|au|aux|a la|a l')\s?(?:\w+ )?(?:verification|"
                         r"epreuve|depistage|prelevement|test|ethylometre|souffle|prise de sang|examen|analyse)|"
                         r"(?:ne (?:veut|voulait|souhaite|souhaitait|desire) (?:pas|plus)|ne pas vouloir|ne pas souhaiter|"
                         r"ne voulant pas|se refuse a) (?:se soumettre|souffler|subir|se preter)|"
                         # the passive voice (« le prélèvement sanguin a été refusé par l'intéressé », « un refus est
                         # opposé aux vérifications »)
                         r"(?:depistages?|verifications?|tests?|prelevements?|epreuves?|ethylometre|souffle|prise de sang|"
                         r"analyses?)\b(?:(?!\bn'|\bne\b|\bpas\b)[^.;:]){0,40}?"
                           r"\b(?:est|sont|a ete|ont ete|etait|avait ete|fut) (?:\w+ )?refusee?s?\b|"
                         r"\brefus (?:\w+ )?(?:est|a ete|fut) oppose (?:a|au|aux)\b|"
                         # a form line whose value is the refusal (« Dépistage alcoolémie : REFUSÉ »)
                         r"(?:depistage|verifications?|tests?|prelevements?|epreuves?|ethylometre)[^:\n.;]{0,50}:\s*"
                         r"refus\w*|"
                         # « invité à se soumettre à une prise de sang, il s'y est opposé »
                         r"(?:verification|epreuve|depistage|prelevement|test|ethylometre|souffl|prise de sang|examen|"
                         r"analyse)[^.;]{0,80}\bs'y (?:est |etait |sont |etaient )?(?:oppose\w*|refus\w*)|"
                         # a feigned breath is a refusal (« simule le souffle », « fait semblant de souffler »)
                         r"(?<!\bne )(?:simul\w*|fai\w* (?:semblant|mine))\b(?! (?:pas|plus|jamais)\b)[^.;]{0,40}\bsouffl\w*|"
                         r"\bsouffl[^.;]{0,80}\b(?:assimile\w*|equival\w*|s'analys\w*|consider\w*|constitu\w*|tenu\w*) "
                         r"(?:a|en|comme) un refus")
TEST_ACCEPTED = re.compile(r"accept\w* (?:(?:\w+ ){0,3}?de (?:se soumettre|souffler|subir)|(?:les|le|l'|la|l'ensemble des|"
                           r"toutes les) (?:verifications|"
                           r"ethylometre|prise de sang|prelevement|epreuves))|se soumet (?:\w+ ){0,2}"
                           r"(?:aux|a l'|a la|au) (?:verifications|epreuves|depistage|ethylometre|test)|"
                           r"(?:s'est |se )prete\w* (?:\w+ ){0,3}(?:aux|a l'|a la|au) (?:verifications|epreuves|depistage|"
                           r"ethylometre|test|prelevement|controle)|accept\w* de souffler|"
                           r"(?:il|cela|ce) ne s'agit pas d'un refus|"
                           r"accept\w* (?:\w+ ){0,3}?(?:de s'y soumettre|d'y souffler|d'y proceder)|"
                           r"accept\w* (?:le|les|la|l'|un|une) (?:\w+ )?(?:depistage|test|prelevement|analyse|"
                           r"controle d'alcoolemie|souffle)|"
                           r"consent\w* (?:\w+ ){0,2}?(?:au|aux|a la|a l'|a un|a une) (?:\w+ )?(?:depistage|test|prelevement|"
                           r"analyse|verification|ethylometre|examen|prise de sang|epreuve)|"
                           r"(?:donne|donnant) son (?:accord|consentement) (?:pour|a) (?:le|la|l'|les|un|une|au|aux) ?"
                           r"(?:\w+ )?(?:depistage|test|prelevement|analyse|verification|ethylometre|examen|prise de sang|"
                           r"epreuve)|"
                           # the passive voice: « les vérifications ont été acceptées par le mis en cause »
                           r"(?:depistages?|verifications?|tests?|prelevements?|epreuves?|ethylometre|souffle|prise de sang|"
                           r"analyses?)\b(?:(?!\bn'|\bne\b|\bpas\b)[^.;:]){0,40}?"
                           r"\b(?:est|sont|a ete|ont ete|etait|avait ete|fut) (?:\w+ )?"
                           r"acceptee?s?\b|"
                           # nominal forms and form lines: « Acceptation du dépistage », « Vérifications : acceptées »
                           r"acceptation (?:du|des|de la|de l') ?(?:\w+ )?(?:depistage|test|verification|prelevement|"
                           r"ethylometre|souffle|epreuve|examen|prise de sang)|"
                           r"(?:depistage|verifications?|tests?|prelevements?|epreuves?|ethylometre)[^:\n.;]{0,50}:\s*"
                           r"acceptee?s?\b")
NOT_ACCEPTED = re.compile(r"\bn'(?:a|avait|accept\w*) (?:pas|jamais) (?:accepte )?(?:de (?:se soumettre|souffler|subir)|"
                          r"(?:le|la|l'|les|un|une) ?(?:\w+ )?(?:depistage|test|prelevement|verifications?|epreuves?|"
                          r"ethylometre|prise de sang|analyse|souffle))")
# a negation that closes before « et » does not reach the next verb (« n'accepte pas le test et refuse de souffler »)
CLOSED_NEGATION = re.compile(r"\b(?:pas|plus|jamais)\b(?:\s+[^\s,;.:()]+){0,4}\s+(?:et|puis)\s+$")


def negated_verb(sent: str, start: int, end: int) -> bool:
    """is_negated, except when the negation belongs to a previous verb coordinated by « et »."""
    before = sent[max(0, start - 70):start]
    if CLOSED_NEGATION.search(before) and not re.search(r"\bni\b", before):
        return is_negated(sent[:0] + " " * start + sent[start:], start, end)
    return is_negated(sent, start, end)
