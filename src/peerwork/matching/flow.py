"""Minimum-cost flow on a small network, in whole numbers, with a certificate anyone can check.

Used by :mod:`.offers`. Costs are Python integers (exact at any size, so objectives of several
levels can be packed into one number without rounding). :meth:`FlowNetwork.solve` finds a flow of
*any* amount from source to sink of least total cost (successive shortest paths with Dijkstra on
reduced costs; it stops when the next path would not lower the cost). :meth:`FlowNetwork.certificate`
then computes, independently of the solver, node prices ``pi`` such that every arc of the residual
network (including a free return arc sink → source) has a reduced cost ``cost + pi[u] - pi[v] >= 0``;
:func:`check_certificate` verifies that. By linear-programming duality (complementary slackness for
min-cost circulations) such prices exist if and only if the flow is of least cost.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

__all__ = ["Arc", "FlowNetwork", "check_certificate"]


@dataclass(slots=True)
class Arc:
    tail: int
    head: int
    capacity: int
    cost: int
    flow: int = 0


@dataclass(slots=True)
class FlowNetwork:
    """A directed network with ``nodes`` nodes; arcs are added with :meth:`add_arc`."""

    nodes: int
    arcs: list[Arc] = field(default_factory=list)

    def add_arc(self, tail: int, head: int, capacity: int, cost: int) -> int:
        if capacity < 0:
            raise ValueError("Arc capacity must be zero or more.")
        self.arcs.append(Arc(tail, head, capacity, cost))
        return len(self.arcs) - 1

    def total_cost(self) -> int:
        return sum(a.cost * a.flow for a in self.arcs)

    def _residual(self) -> list[list[tuple[int, int, int]]]:
        """Per node: (arc index, direction +1 forward / -1 backward, head) of arcs with residual capacity."""
        out: list[list[tuple[int, int, int]]] = [[] for _ in range(self.nodes)]
        for i, a in enumerate(self.arcs):
            out[a.tail].append((i, 1, a.head))
            out[a.head].append((i, -1, a.tail))
        return out

    def _initial_prices(self, source: int) -> list[int]:
        """Shortest distances from ``source`` (Bellman–Ford; the network starts without negative cycles)."""
        inf = None
        dist: list[int | None] = [inf] * self.nodes
        dist[source] = 0
        for _ in range(self.nodes):
            changed = False
            for a in self.arcs:
                du = dist[a.tail]
                if du is None or a.flow >= a.capacity:
                    continue
                dv = dist[a.head]
                if dv is None or du + a.cost < dv:
                    dist[a.head] = du + a.cost
                    changed = True
            if not changed:
                break
        reached = [d for d in dist if d is not None]
        top = max(reached) if reached else 0
        return [top if d is None else d for d in dist]

    def solve(self, source: int, sink: int) -> int:
        """Push flow from ``source`` to ``sink`` while it lowers the total cost; returns the amount pushed."""
        adjacency = self._residual()
        prices = self._initial_prices(source)
        pushed = 0
        while True:
            dist: list[int | None] = [None] * self.nodes
            via: list[tuple[int, int] | None] = [None] * self.nodes
            dist[source] = 0
            heap = [(0, source)]
            while heap:
                d, u = heapq.heappop(heap)
                if d != dist[u]:
                    continue
                pu = prices[u]
                for i, direction, v in adjacency[u]:
                    a = self.arcs[i]
                    if direction == 1:
                        if a.flow >= a.capacity:
                            continue
                        cost = a.cost
                    else:
                        if a.flow <= 0:
                            continue
                        cost = -a.cost
                    nd = d + cost + pu - prices[v]
                    dv = dist[v]
                    if dv is None or nd < dv:
                        dist[v] = nd
                        via[v] = (i, direction)
                        heapq.heappush(heap, (nd, v))
            dt = dist[sink]
            if dt is None:
                break
            path_cost = dt - prices[source] + prices[sink]
            if path_cost >= 0:
                break
            # Bottleneck and augment.
            amount: int | None = None
            v = sink
            while v != source:
                step = via[v]
                assert step is not None
                i, direction = step
                a = self.arcs[i]
                left = a.capacity - a.flow if direction == 1 else a.flow
                amount = left if amount is None else min(amount, left)
                v = a.tail if direction == 1 else a.head
            assert amount is not None and amount > 0
            v = sink
            while v != source:
                step = via[v]
                assert step is not None
                i, direction = step
                a = self.arcs[i]
                a.flow += amount if direction == 1 else -amount
                v = a.tail if direction == 1 else a.head
            pushed += amount
            reached = [d for d in dist if d is not None]
            top = max(reached)
            prices = [p + (top if d is None else d) for p, d in zip(prices, dist, strict=True)]
        return pushed

    def residual_arcs(self, source: int, sink: int) -> list[tuple[int, int, int]]:
        """Every arc with room left in the residual network, as (tail, head, cost); includes the free
        return arc sink → source and, when flow was pushed, its reverse."""
        out = [(sink, source, 0)]
        if self.flow_out_of(source) > 0:
            out.append((source, sink, 0))
        for a in self.arcs:
            if a.flow < a.capacity:
                out.append((a.tail, a.head, a.cost))
            if a.flow > 0:
                out.append((a.head, a.tail, -a.cost))
        return out

    def flow_out_of(self, node: int) -> int:
        return sum(a.flow for a in self.arcs if a.tail == node) - sum(a.flow for a in self.arcs if a.head == node)

    def certificate(self, source: int, sink: int) -> list[int] | None:
        """Node prices proving the flow is of least cost, or ``None`` if a negative cycle shows it is not.

        Bellman–Ford from a virtual root joined to every node at cost 0, on the residual network."""
        arcs = self.residual_arcs(source, sink)
        prices = [0] * self.nodes
        for _ in range(self.nodes + 1):
            changed = False
            for u, v, cost in arcs:
                if prices[u] + cost < prices[v]:
                    prices[v] = prices[u] + cost
                    changed = True
            if not changed:
                return prices
        return None


def check_certificate(network: FlowNetwork, source: int, sink: int, prices: list[int] | None) -> bool:
    """True when the flow respects every capacity, conserves flow at every node but the source and sink,
    and ``prices`` give every residual arc a non-negative reduced cost (so no cheaper flow exists)."""
    if prices is None or len(prices) != network.nodes:
        return False
    balance = [0] * network.nodes
    for a in network.arcs:
        if not 0 <= a.flow <= a.capacity:
            return False
        balance[a.tail] -= a.flow
        balance[a.head] += a.flow
    if any(b != 0 for n, b in enumerate(balance) if n not in (source, sink)):
        return False
    return all(cost + prices[u] - prices[v] >= 0 for u, v, cost in network.residual_arcs(source, sink))
