"""Classes of misses of another author's set of real passages (issue #13), checked on phrasings of our own
(tests/data/wording_variations_road2.jsonl, one cause per line, annotated before the code ran on them; « guard »
lines must keep working). Values are asserted, never one exact sentence.

Dates: Roman-numeral months, a ticket's date alone; not the date of an FVA query, of a later blood sampling, of a
judgment or hearing, of a checkpoint-wide statistic, of a case-law reference or of an earlier procedure.
Breath readings: a ticket's « Résultat » repeating the lower reading, a retained value given before its readings,
thresholds before « En l'espèce », a defence's margin computation, a reading set aside, OCR spaces inside numbers,
three decimals; a rate in words and figures together.
Statements in interview answers and prose: insurance, refusal of a test or of stopping, probation, an admitted
use of cannabis, a positive screening told in a question.
Polarity and scope: an acquittal of the flight charge, a driver who stayed, a single-vehicle accident, recidivism
set aside for want of a final conviction, negated measures before « titre valide », a dense parquet note.
Drugs: Δ9-THC negative with THC-COOH quantified, zero opiates, an unconfirmed negative saliva test.
ITT, damage, limit: « zéro jour », the driver's own ITT, injuries without damage words, damage words, the limit
told in prose."""
from __future__ import annotations

import pytest

from tests.cause_corpus import check_row, load_rows, row_ids

ROWS = load_rows("wording_variations_road2.jsonl")


@pytest.mark.parametrize("row", ROWS, ids=row_ids(ROWS))
def test_each_class_is_read_by_meaning(row):
    check_row(row)
