"""Shrink a symmetric network to the nodes that matter for a set of terminals, distances intact.

Most rail nodes only draw the line between two others (two neighbours), and many branches end in
a siding no trip needs. Dead ends without a terminal are pruned, and chains of two-neighbour nodes
become one edge carrying the chain's total weight (the smallest, where chains run in parallel).
Shortest distances between the kept nodes are those of the full network, so an origin-destination
matrix over the terminals can be computed on the much smaller core.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse


@dataclass
class Core:
    """The contracted network and where each kept original node went."""

    matrix: sparse.csr_matrix
    index: NDArray[np.int64]  # original node → core node, -1 where contracted away

    def of(self, nodes: NDArray[np.int64]) -> NDArray[np.int64]:
        found = self.index[nodes]
        if np.any(found < 0):
            msg = "a terminal was contracted away"
            raise AssertionError(msg)
        return found


def contract(matrix: sparse.csr_matrix, terminals: NDArray[np.int64]) -> Core:
    """Prune dead ends and contract two-neighbour chains that hold no terminal."""
    n = matrix.shape[0]
    indptr, indices, weights = matrix.indptr, matrix.indices, matrix.data
    keep = np.zeros(n, dtype=bool)
    keep[terminals] = True
    alive = np.ones(n, dtype=bool)
    degree = np.diff(indptr).astype(np.int64)
    # 1. dead ends: peel leaves that are not terminals, layer by layer
    queue = deque(int(i) for i in np.flatnonzero((degree <= 1) & ~keep))
    while queue:
        node = queue.popleft()
        if not alive[node]:
            continue
        alive[node] = False
        for k in range(indptr[node], indptr[node + 1]):
            other = int(indices[k])
            if alive[other]:
                degree[other] -= 1
                if degree[other] <= 1 and not keep[other]:
                    queue.append(other)
    # 2. chains: every live node that is a terminal or has other than two live neighbours anchors them
    anchor = alive & (keep | (degree != 2))
    edges: dict[tuple[int, int], float] = {}
    for start in np.flatnonzero(anchor):
        for k in range(indptr[start], indptr[start + 1]):
            prev, node, total = int(start), int(indices[k]), float(weights[k])
            if not alive[node]:
                continue
            while not anchor[node]:
                step = None
                for j in range(indptr[node], indptr[node + 1]):
                    nxt = int(indices[j])
                    if nxt != prev and alive[nxt]:
                        step = (nxt, float(weights[j]))
                        break
                if step is None:  # a chain that folds back on itself
                    break
                prev, node = node, step[0]
                total += step[1]
            if anchor[node] and node != start:
                key = (int(start), node)
                if total < edges.get(key, np.inf):
                    edges[key] = total
    kept = np.flatnonzero(anchor)
    index = np.full(n, -1, dtype=np.int64)
    index[kept] = np.arange(len(kept))
    if edges:
        pairs = np.array(list(edges.keys()))
        values = np.array(list(edges.values()))
        core = sparse.csr_matrix(
            (values, (index[pairs[:, 0]], index[pairs[:, 1]])), shape=(len(kept), len(kept))
        )
    else:
        core = sparse.csr_matrix((len(kept), len(kept)))
    return Core(core, index)
