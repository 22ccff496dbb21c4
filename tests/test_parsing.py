"""The parser's faster cycle finder must give stanza's decoder exactly the same trees."""
from __future__ import annotations

import numpy as np
import pytest
from stanza.models.common import chuliu_edmonds

from quotes import parsing
from quotes.parsing import functional_graph_cycles


def stanza_tarjan():
    return parsing.STANZA_TARJAN or chuliu_edmonds.tarjan


def masks(cycles):
    return [np.flatnonzero(c).tolist() for c in cycles]


@pytest.mark.parametrize("tree, expected", [
    ([0, 4, 4, 4, 0], []),  # "This is a test": a tree
    ([0, 2, 0, 4, 2, 2], []),
    ([0, 3, 1, 2], [[1, 2, 3]]),  # one cycle
    ([0, 2, 1, 4, 3, 0], [[1, 2], [3, 4]]),  # two, by their smallest word
    ([0, 0, 5, 2, 3, 4, 2], [[2, 3, 4, 5]]),  # word 6 hangs under the cycle: not in it
])
def test_cycles_of_small_trees(tree, expected):
    tree = np.array(tree)
    assert masks(functional_graph_cycles(tree)) == expected
    assert masks(stanza_tarjan()(tree)) == expected


def test_same_cycles_as_stanza_on_random_head_arrays():
    rng = np.random.default_rng(7)
    for _ in range(2000):
        n = int(rng.integers(2, 40))
        tree = rng.integers(0, n, size=n)
        tree[0] = 0
        tree[1:][tree[1:] == np.arange(1, n)] = 0  # no self-loops but the root's, as the decoder asks
        assert masks(functional_graph_cycles(tree)) == masks(stanza_tarjan()(tree))


def test_same_trees_as_stanza_on_random_scores(monkeypatch):
    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(2, 40))
        scores = rng.normal(size=(n, n)).astype(np.float32)
        monkeypatch.setattr(chuliu_edmonds, "tarjan", stanza_tarjan())
        reference = chuliu_edmonds.chuliu_edmonds_one_root(scores.copy())
        monkeypatch.setattr(chuliu_edmonds, "tarjan", functional_graph_cycles)
        assert chuliu_edmonds.chuliu_edmonds_one_root(scores.copy()).tolist() == reference.tolist()
