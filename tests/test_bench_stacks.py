"""The generated-stacks figures of bench part `understanding` (bench.stacks)."""

from __future__ import annotations

from bench.stacks import STACKS, lines, run


def test_the_quick_run_counts_multi_page_documents_and_stacks() -> None:
    """GIVEN the quick run (clean level only) WHEN measured THEN every multi-page type is
    tried, each of the STACKS stacks is judged, and the printed line says both figures
    against their targets."""
    result = run(0.5, quick=True)
    clean = result["levels"]["clean"]
    assert list(result["levels"]) == ["clean"]
    assert clean["multi"] >= 12  # ID cards, land-use certificates, contracts, CVs, copies
    assert clean["stacks"] == STACKS
    assert 0 <= clean["stacks_exact"] <= STACKS and 0 <= clean["multi_cut"] <= clean["multi"]
    printed = "\n".join(lines(result))
    assert "(target 0)" in printed and "(target 95%)" in printed
