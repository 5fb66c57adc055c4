"""`eval orientation` also says whether the extracted facts lead the grid where the gold's own facts lead it: an
author who writes a file chooses an orientation by his own policy, the parquet's grid may choose otherwise."""
from __future__ import annotations

import json
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "data" / "road_handmade" / "gold" / "rd-01-delit-primo.json"


def test_the_grid_on_the_gold_facts_follows_the_facts():
    from evals.orientation_eval import grid_on_gold

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert grid_on_gold(gold["facts"]) == gold["expected_orientation"] == "COMPOSITION_PENALE"
    lower = {**gold["facts"], "alcohol_air_mg_l_readings": {**gold["facts"]["alcohol_air_mg_l_readings"],
                                                            "value": [0.27, 0.26]}}
    assert grid_on_gold(lower) != "COMPOSITION_PENALE"  # a contravention-level reading is no délit
