from __future__ import annotations

import pytest

from core.errors import ConfigError, UpstreamUnavailable
from generation.drafting import parse_cited
from generation.llm import FakeChatModel
from generation.verifier import verify
from prompts import load_prompt

EVIDENCE = ["Le 16 septembre 2025 vers 19h51, Yasmine GERVAISOT est frappée au visage boulevard Anatole-Mérel."]


def test_parse_cited_maps_sentences_to_evidence_ids():
    out = parse_cited("La victime est frappée [E1]. Le suspect est interpellé [E2][E3]. Sans source.")
    assert out == [("La victime est frappée.", ["E1"]), ("Le suspect est interpellé.", ["E2", "E3"]),
                   ("Sans source.", [])]


def test_verifier_accepts_a_faithful_sentence():
    assert verify("Le 16 septembre 2025 vers 19h51, Yasmine GERVAISOT est frappée au visage.", EVIDENCE).status == \
        "supported"


@pytest.mark.parametrize("sentence", [
    "Le 17 septembre 2025 vers 19h51, Yasmine GERVAISOT est frappée au visage.",  # changed date
    "Le 16 septembre 2025 vers 19h51, Camille VARENNE est frappée au visage.",  # changed name
    "Le 16 septembre 2025, la victime perd 800 euros au casino.",  # invented fact
])
def test_verifier_rejects_changed_numbers_names_and_inventions(sentence):
    assert verify(sentence, EVIDENCE).status == "unsupported"


def test_verifier_checks_plates_whatever_their_format():
    evidence = ["J'ai vu deux hommes partir sur un scooter noir immatriculé ER-297-XY."]
    assert verify("Un scooter immatriculé ER 297 XY est vu.", evidence).status == "supported"
    assert verify("Un scooter immatriculé ER-297-XZ est vu.", evidence).status == "unsupported"


def test_prompt_variables_are_strict():
    prompt = load_prompt("rediger_section")
    with pytest.raises(ConfigError):
        prompt.render(document_title="x")
    system, user = prompt.render(document_title="Synthèse", section_title="Faits", evidence=[], max_sentences=3)
    assert "[E2]" in system and "Synthèse" in user


def test_drafting_falls_back_to_cited_extracts_when_the_llm_fails_or_invents(fake_services, example_copy):
    from generation.drafting import Drafter
    from generation.llm import FakeChatModel

    folder = example_copy("instruction-000")
    fake_services.ingestor.ingest([folder], "inst")
    invent = FakeChatModel(lambda s, u: "La victime a perdu 9999 euros au casino [E1]. Phrase sans source.")
    draft = Drafter(fake_services.catalog, fake_services.search, invent, fake_services.settings.drafting).stream(
        "inst", "synthese")
    sentences = [s for sec in draft.sections for s in sec.sentences]
    assert sentences and all(s.citations for s in sentences)
    assert all(s.status == "fallback" for s in sentences)
    assert {r["text"] for r in draft.removed} >= {"La victime a perdu 9999 euros au casino.", "Phrase sans source."}
    down = FakeChatModel([UpstreamUnavailable("timeout")] * 10)
    draft2 = Drafter(fake_services.catalog, fake_services.search, down, fake_services.settings.drafting).stream(
        "inst", "synthese")
    assert any("indisponible" in w or "timeout" in w for w in draft2.warnings)
    assert [s.text for sec in draft2.sections for s in sec.sentences] == [s.text for s in sentences]


def test_drafts_survive_a_restart_with_their_citations(fake_services, example_copy, tmp_path):
    from generation.drafting import Drafter
    from generation.store import DraftStore

    fake_services.ingestor.ingest([example_copy("instruction-000")], "inst")
    draft = Drafter(fake_services.catalog, fake_services.search, None, fake_services.settings.drafting).stream(
        "inst", "requisitoire")
    DraftStore(tmp_path / "d.sqlite").save(draft)
    again = DraftStore(tmp_path / "d.sqlite").get(draft.id)
    assert again.to_dict() == draft.to_dict()
    assert again.sections[0].sentences[0].citations[0].chunk_id == draft.sections[0].sentences[0].citations[0].chunk_id


class _Search:
    """A search stand-in whose embedder maps texts about the same topic to close vectors."""

    class embedder:  # noqa: N801 - mimics an attribute holding an Embedder
        @staticmethod
        def embed_passages(texts):
            return [[1.0, 0.0] if "téléphone" in t else [0.0, 1.0] for t in texts]


def test_rephrased_sentences_pass_code_checks_then_similarity_then_the_judge():
    from core.settings import DraftingSettings
    from generation.drafting import Drafter
    from generation.llm import FakeChatModel

    evidence = ["Le téléphone dérobé a été réactivé le 17 septembre 2025 avec une carte SIM attribuée à Aïcha LEMARQUIS."]
    faithful = "Le téléphone dérobé est réactivé le 17 septembre 2025 avec une carte SIM attribuée à Aïcha LEMARQUIS."
    settings = DraftingSettings(use_judge=True, min_overlap=0.3)
    drafter = Drafter(None, _Search(), None, settings, judge=FakeChatModel(["OUI", "NON"]))
    assert drafter.check(faithful, evidence) == []
    assert "juge" in drafter.check(faithful, evidence)[0]
    off_topic = "Le 17 septembre 2025, une carte SIM est attribuée à Aïcha LEMARQUIS pour son abonnement."
    assert "similarité" in drafter.check(off_topic, evidence)[0]
    assert "nombres" in drafter.check(faithful.replace("17", "18"), evidence)[0]


def test_every_prompt_is_a_versioned_file_with_strict_variables():
    from importlib import resources

    names = sorted(p.name[:-5] for p in resources.files("prompts").iterdir() if p.name.endswith(".yaml"))
    assert {"rediger_section", "repondre_question", "juger_phrase", "extraire_faits_routiers", "orienter_rag_naive",
            "repondre_rag_naive"} <= set(names)
    for name in names:
        prompt = load_prompt(name)
        assert prompt.version and prompt.description and prompt.system.strip()
        with pytest.raises(ConfigError):
            prompt.render()  # every prompt has variables, and a missing one is an error


def test_the_judge_is_asked_with_its_prompt_file_and_the_draft_records_both_prompts():
    from core.settings import DraftingSettings
    from generation.drafting import Drafter
    from generation.llm import FakeChatModel

    evidence = ["Le téléphone dérobé a été réactivé le 17 septembre 2025 avec une carte SIM attribuée à Aïcha LEMARQUIS."]
    judge = FakeChatModel(["OUI"])
    drafter = Drafter(None, _Search(), None, DraftingSettings(use_judge=True, min_overlap=0.3), judge=judge)
    drafter.check(evidence[0], evidence)
    system, user = judge.calls[0]
    assert (system, user) == load_prompt("juger_phrase").render(evidence=evidence, sentence=evidence[0])
    assert "Un seul mot" in system and "Aïcha LEMARQUIS" in user
    used = drafter._prompts_used()
    assert used["name"] == "rediger_section" and used["judge"] == {"name": "juger_phrase", "version": "1.0"}
    plain = Drafter(None, _Search(), None, DraftingSettings(use_judge=False), judge=judge)._prompts_used()
    assert "judge" not in plain


def test_the_llm_fact_extractor_asks_with_its_prompt_file():
    import json

    from orientation.llm_extract import propose_missing, schema

    llm = FakeChatModel(lambda s, u: json.dumps({k: {"value": None, "quote": None} for k in schema()["properties"]}))
    added, warnings = propose_missing(llm, [], {})
    system, user = llm.calls[0]
    assert system == load_prompt("extraire_faits_routiers").system and added == {} and warnings == []
