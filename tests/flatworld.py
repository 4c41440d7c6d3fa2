"""A flat test world: bedrock, stone to y 59, dirt to 62, grass at 63; spawn at (0, 64, 0)."""

from __future__ import annotations

from mc_bench.rules import load_rules


class FlatGen:
    """Minimal generator with the WorldGen interface, for pinning mechanics exactly."""

    def __init__(self, seed: int = 0, ground: int = 63):
        r = load_rules()
        self.ground = ground
        self.layers = [(0, r.state("bedrock")), (1, r.state("stone")), (ground - 3, r.state("dirt")),
                       (ground, r.state("grass"))]

    def generate(self, w, ox, oz, cx, cz):
        for (y0, state), (y1, _) in zip(self.layers, self.layers[1:] + [(self.ground + 1, 0)]):
            w.blocks[ox:ox + 16, oz:oz + 16, y0:y1] = state

    def find_spawn(self):
        return 0, self.ground + 1, 0

    def biome_at(self, x, z):
        return 1  # plains
