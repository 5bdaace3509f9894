"""Pictures of a network view (PNG, SVG) with matplotlib, and the layout they share with
the interactive page.

Readability rules (checked by eye on the whole story view and on the release of 52):
nodes are boxes holding their label, tinted by kind, so a label never floats apart from
its node; the layout is a force-directed one (networkx spring layout, fixed seed) whose
boxes are then pushed apart until none overlap, so the picture grows to fit its labels
instead of shrinking the text; edges end at the box borders, are coloured by the family
of their role (legend) and dashed for planned, demanded or hoped-for things; role names
are written along the edges of a focus view, and, in the whole view, along the edges of
the deal roles (negotiator, mediator, broker, released, not released, releasing
authority) only, where they fit without covering anything; the rest is told by colour.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from belkg.errors import BelkgError

if TYPE_CHECKING:
    import networkx as nx

    NetworkGraph = nx.MultiDiGraph[str]

PICTURE_FORMATS = ("png", "svg")

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
KIND_COLOURS: dict[str, str] = {
    "event": "#D55E00",
    "person": "#0072B2",
    "group": "#56B4E9",
    "organisation": "#009E73",
    "country": "#E69F00",
    "place": "#B8A400",
    "award": "#CC79A7",
    "agent": "#7F7F7F",
}
OTHER_COLOUR = "#A0A0A0"

# Role families: colour and legend text. A role not listed is "other participation".
ROLE_FAMILIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "negotiated, mediated, brokered",
        "#C0143C",
        ("negotiator", "mediator", "broker", "intermediary", "negotiated by", "mediated by", "brokered by"),
    ),
    ("released", "#1B9E4B", ("released", "freed", "freed in")),
    ("not released", "#F28E2B", ("not released", "left behind", "left behind in")),
    ("releasing authority", "#6A3D9A", ("releasing authority", "released by")),
    ("demanded, called on, addressed", "#B07CC6", ("demanded", "called on", "addressee", "addressed to")),
    (
        "said, wrote, signed",
        "#505050",
        ("said", "spoke about", "speaker", "author", "publisher", "signatory", "spoken by", "authored by", "signed by"),
    ),
    (
        "event to event (after, in return for…)",
        "#2C7FB8",
        ("after", "before", "following", "caused by", "in return for", "part of", "similar to", "in the same year as"),
    ),
    (
        "office, citizenship, membership, award",
        "#9A9A9A",
        (
            "holds office",
            "citizen of",
            "member of",
            "founder of",
            "ally of",
            "spouse of",
            "worked for",
            "dependent on",
            "laureate of",
        ),
    ),
)
OTHER_ROLE = ("other participation, place", "#C49A6C")
DEAL_ROLES = frozenset(("negotiator", "mediator", "broker", "intermediary", "released", "not released"))
DEAL_ROLES_WHOLE = DEAL_ROLES | {"releasing authority"}


def role_colour(role: str) -> str:
    for _, colour, roles in ROLE_FAMILIES:
        if role in roles:
            return colour
    return OTHER_ROLE[1]


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, OTHER_COLOUR)


def tint(colour: str, amount: float) -> str:
    """The colour mixed with white (amount 0: the colour, 1: white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * amount) for c in (red, green, blue))
    return "#" + "".join(f"{c:02x}" for c in mixed)


# ---------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeBox:
    """A node's label as drawn: wrapped text, font size (points), and the box size (inches)."""

    text: str
    size: float
    width: float
    height: float
    bold: bool


def is_release(data: dict[str, Any]) -> bool:
    return str(data.get("class", "")).endswith("#Release")


def node_boxes(graph: NetworkGraph, *, base: float = 8.0, hub: float = 10.5, wrap: int = 22) -> dict[str, NodeBox]:
    """Each node's wrapped label and box: hubs (many neighbours) and releases in a larger
    or bolder font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()
    simple_degree = _simple_degree(graph)
    top = sorted(simple_degree.values(), reverse=True)
    threshold = max(6, top[min(len(top) - 1, 11)] if top else 6)
    boxes = {}
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", node))
        text = textwrap.fill(label, wrap, break_long_words=True) if len(label) > wrap else label
        important = simple_degree.get(node, 0) >= threshold
        size = hub if important else base
        bold = important or is_release(data)
        prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
        lines = text.split("\n")
        width = max(measure.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines)
        height = size * 1.2 * len(lines)
        pad = size * 0.45
        boxes[node] = NodeBox(text, size, (width + 2 * pad) / 72, (height + 2 * pad) / 72, bold)
    return boxes


def _simple_degree(graph: NetworkGraph) -> dict[str, int]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for start, end in graph.edges():
        if start != end:
            neighbours[start].add(end)
            neighbours[end].add(start)
    return {node: len(neighbours[node]) for node in graph}


def _remove_overlaps(
    xy: Any, widths: Any, heights: Any, gap: float, rounds: int = 600, anchor: int | None = None
) -> Any:
    """Push boxes (centres xy, in inches) apart until none overlap, each time along the
    axis where the overlap is smaller; returns the new centres."""
    import numpy as np

    xy = np.array(xy, dtype=float)
    count = len(xy)
    if count < 2:
        return xy
    half_w = (np.asarray(widths) + gap) / 2
    half_h = (np.asarray(heights) + gap) / 2
    rng = np.random.default_rng(1)
    not_self = ~np.eye(count, dtype=bool)
    for _ in range(rounds):
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        over_x = half_w[:, None] + half_w[None, :] - np.abs(dx)
        over_y = half_h[:, None] + half_h[None, :] - np.abs(dy)
        overlapping = (over_x > 0) & (over_y > 0) & not_self
        if not overlapping.any():
            break
        sign_x, sign_y = np.sign(dx), np.sign(dy)
        if ((dx == 0) & overlapping).any():  # two centres in line: a random side (drawn only then: it is slow)
            sign_x = np.where(dx == 0, rng.choice([-1.0, 1.0], size=dx.shape), sign_x)
        if ((dy == 0) & overlapping).any():
            sign_y = np.where(dy == 0, rng.choice([-1.0, 1.0], size=dy.shape), sign_y)
        along_x = overlapping & (over_x * 1.0 < over_y)
        along_y = overlapping & ~along_x
        move_x = np.where(along_x, over_x * sign_x, 0.0).sum(axis=1) * 0.5
        move_y = np.where(along_y, over_y * sign_y, 0.0).sum(axis=1) * 0.5
        moves = np.stack([move_x, move_y], axis=1)
        # Cap each step, so that a node in a crowd does not jump across the picture.
        limit = 0.5 * np.maximum(half_w, half_h)[:, None] + 0.05
        moves = np.clip(moves, -limit, limit)
        if anchor is not None:
            moves[anchor] = 0.0
        xy += moves
    return xy


# Edges that say where things are or who belongs to what pull less in the layout than
# the roles in events, so countries do not drag every citizen into the middle.
CONTEXT_ROLES = frozenset(
    ("citizen of", "took place in", "located in", "holds office", "member of", "laureate of", "worked for")
)


def layout(
    graph: NetworkGraph,
    boxes: dict[str, NodeBox],
    *,
    seed: int = 7,
    room: float = 5.0,
    aspect: float = 1.6,
    gap: float = 0.14,
) -> dict[str, tuple[float, float]]:
    """Node centres in inches (y up) such that no two boxes overlap: a spring layout of
    each connected component (context edges weigh less), spread over `room` times the
    area of its boxes in a `aspect` wide rectangle, boxes pushed apart until `gap` inches
    separate them, then the components packed in rows, largest first."""
    import networkx as nx
    import numpy as np

    undirected: nx.Graph[str] = nx.Graph()
    undirected.add_nodes_from(graph)
    for start, end, data in graph.edges(data=True):
        if start == end:
            continue
        weight = 0.25 if data.get("role") in CONTEXT_ROLES else 1.0
        previous = undirected.get_edge_data(start, end, {}).get("weight", 0.0)
        undirected.add_edge(start, end, weight=max(weight, previous))
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c)))
    placed: list[tuple[list[str], Any]] = []
    focus = graph.graph.get("focus")
    for component in components:
        nodes = sorted(component)
        sub = _ordered_subgraph(undirected, nodes)
        widths = np.array([boxes[n].width for n in nodes])
        heights = np.array([boxes[n].height for n in nodes])
        if len(nodes) == 1:
            xy = np.zeros((1, 2))
        else:
            initial = _radial_start(sub, focus, seed) if focus in component else None
            raw = nx.spring_layout(sub, pos=initial, seed=seed, iterations=400, k=1.5 / math.sqrt(len(nodes)))
            xy = np.array([raw[n] for n in nodes], dtype=float)
            anchor = nodes.index(focus) if focus in component else None
            if anchor is not None:
                xy = _rings(sub, nodes, xy - xy[anchor], anchor, widths + gap * 2, heights + gap * 2, aspect)
            else:
                xy -= xy.mean(axis=0)
                if len(nodes) > 12:
                    xy = _even_out(xy)
                spread = np.abs(xy).max(axis=0)
                spread[spread == 0] = 1.0
                area = float(((widths + gap) * (heights + gap)).sum()) * (room if len(nodes) > 3 else 1.5)
                half_width = math.sqrt(area * aspect) / 2
                xy = xy / spread * np.array([half_width, half_width / aspect])
            xy = _remove_overlaps(xy, widths, heights, gap, anchor=anchor)
        placed.append((nodes, xy))
    return _pack(placed, boxes, gap * 3)


def _ordered_subgraph(graph: Any, nodes: list[str]) -> Any:
    """The subgraph on `nodes`, with its nodes and edges in sorted order: networkx's
    subgraph views list them in the order of a set, which changes with PYTHONHASHSEED,
    and the spring layout places nodes in the order it is given them."""
    import networkx as nx

    inside = set(nodes)
    sub: nx.Graph[str] = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(
        sorted((min(a, b), max(a, b), data) for a, b, data in graph.edges(nodes, data=True) if b in inside)
    )
    return sub


def _rings(sub: Any, nodes: list[str], xy: Any, anchor: int, widths: Any, heights: Any, aspect: float) -> Any:
    """A focus view as rings around the focused node (at the origin), one per distance:
    each ring keeps the order its nodes have around the focus in the spring layout (so
    linked neighbours stay side by side), spaces them evenly, and is the smallest ellipse
    on which its boxes clear each other and the rings inside it."""
    import networkx as nx
    import numpy as np

    distance = nx.single_source_shortest_path_length(sub, nodes[anchor])
    placed = np.zeros_like(xy)
    inner = [anchor]
    radius = 0.0
    for steps in range(1, max(distance.values(), default=0) + 1):
        ring = [i for i, node in enumerate(nodes) if distance.get(node) == steps]
        if not ring:
            continue
        angles = np.arctan2(xy[ring, 1], xy[ring, 0])
        order = np.argsort(angles, kind="stable")
        ring = [ring[i] for i in order]
        angles = angles[order]
        count = len(ring)
        even = 2 * math.pi * np.arange(count) / count
        offset = math.atan2(np.sin(angles - even).mean(), np.cos(angles - even).mean())
        even = even + offset
        unit = np.stack([np.cos(even) * aspect, np.sin(even)], axis=1)
        if count > 14:  # every other node a little further out, so that neighbours clear
            unit *= (1 + 0.3 * (np.arange(count) % 2))[:, None]
        radius = max(radius, 0.3)
        while True:
            candidate = unit * radius
            if not _any_overlap(candidate, widths[ring], heights[ring], placed[inner], widths[inner], heights[inner]):
                break
            radius *= 1.04
        placed[ring] = candidate
        inner += ring
        radius *= 1.15
    return placed


def _any_overlap(xy: Any, widths: Any, heights: Any, fixed: Any, fixed_widths: Any, fixed_heights: Any) -> bool:
    """Whether any two of the boxes overlap, or any of them overlaps a fixed box."""
    import numpy as np

    every = np.concatenate([xy, fixed])
    half_w = np.concatenate([widths, fixed_widths]) / 2
    half_h = np.concatenate([heights, fixed_heights]) / 2
    moving = len(xy)
    dx = np.abs(every[:moving, 0][:, None] - every[:, 0][None, :])
    dy = np.abs(every[:moving, 1][:, None] - every[:, 1][None, :])
    clash = (dx < half_w[:moving, None] + half_w[None, :]) & (dy < half_h[:moving, None] + half_h[None, :])
    clash[np.arange(moving), np.arange(moving)] = False
    return bool(clash.any())


def _even_out(xy: Any) -> Any:
    """Spread a layout evenly over its disc: each node keeps its direction from the centre
    and its rank in distance, but the distances are remapped so that every ring of the
    disc holds as many nodes as its area allows (spring layouts crowd the hubs' middle
    and scatter the leaves)."""
    import numpy as np

    radius = np.sqrt((xy**2).sum(axis=1))
    order = np.argsort(radius, kind="stable")
    even = np.empty_like(radius)
    even[order] = np.sqrt((np.arange(len(xy)) + 0.5) / len(xy))
    scale = np.where(radius > 0, even / np.where(radius > 0, radius, 1.0), 0.0)
    return xy * scale[:, None]


def _radial_start(sub: Any, focus: str, seed: int) -> dict[str, Any]:
    """Start positions around the focused node: one ring per distance."""
    import networkx as nx
    import numpy as np

    distance = nx.single_source_shortest_path_length(sub, focus)
    rings: dict[int, list[str]] = defaultdict(list)
    for node, steps in sorted(distance.items(), key=lambda item: (item[1], item[0])):
        rings[steps].append(node)
    start: dict[str, Any] = {}
    rng = np.random.default_rng(seed)
    for steps, members in rings.items():
        for index, node in enumerate(members):
            angle = 2 * math.pi * index / max(1, len(members)) + rng.uniform(-0.05, 0.05)
            start[node] = np.array([steps * math.cos(angle), steps * math.sin(angle)])
    return start


def _pack(
    placed: list[tuple[list[str], Any]], boxes: dict[str, NodeBox], margin: float
) -> dict[str, tuple[float, float]]:
    """The components side by side in rows no wider than the largest one (or 14 inches)."""
    extents = []
    for nodes, xy in placed:
        left = min(xy[i][0] - boxes[n].width / 2 for i, n in enumerate(nodes))
        right = max(xy[i][0] + boxes[n].width / 2 for i, n in enumerate(nodes))
        bottom = min(xy[i][1] - boxes[n].height / 2 for i, n in enumerate(nodes))
        top = max(xy[i][1] + boxes[n].height / 2 for i, n in enumerate(nodes))
        extents.append((left, right, bottom, top))
    row_width = max(14.0, max((right - left for left, right, _, _ in extents), default=0.0))
    positions: dict[str, tuple[float, float]] = {}
    cursor_x, cursor_y, row_height = 0.0, 0.0, 0.0
    for (nodes, xy), (left, right, bottom, top) in zip(placed, extents, strict=True):
        width, height = right - left, top - bottom
        if cursor_x > 0 and cursor_x + width > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y - row_height - margin, 0.0
        for i, node in enumerate(nodes):
            positions[node] = (float(xy[i][0] - left + cursor_x), float(xy[i][1] - top + cursor_y))
        cursor_x += width + margin
        row_height = max(row_height, height)
    return positions


# ---------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------


def _clip_to_box(start: tuple[float, float], end: tuple[float, float], box: NodeBox) -> tuple[float, float]:
    """Where the segment from start (a box centre) towards end leaves the start's box."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == 0 and dy == 0:
        return start
    half_w, half_h = box.width / 2, box.height / 2
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return (start[0] + dx * scale, start[1] + dy * scale)


@dataclass
class _Link:
    """All the edges from one node to another, drawn as one arrow; curved when there are
    edges the other way too."""

    start: str
    end: str
    roles: list[str]
    dashed: bool
    colour: str
    curved: bool
    context: bool


def _links(graph: NetworkGraph) -> list[_Link]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for start, end, data in graph.edges(data=True):
        if start != end:
            grouped[(start, end)].append(data)
    links = []
    for (start, end), edges in sorted(grouped.items()):
        roles: list[str] = []
        for data in edges:
            role = str(data.get("role", ""))
            role = f"{role} ({data['modality']})" if data.get("modality") else role
            if role not in roles:
                roles.append(role)
        plain = [data for data in edges if not data.get("modality")]
        main = str((plain or edges)[0].get("role", ""))
        links.append(
            _Link(
                start, end, roles, dashed=not plain, colour=role_colour(main), curved=(end, start) in grouped,
                context=all(data.get("role") in CONTEXT_ROLES for data in edges),
            )
        )  # fmt: skip
    return links


def _point(
    tail: tuple[float, float], head: tuple[float, float], bend: float, share: float
) -> tuple[tuple[float, float], float]:
    """The point at `share` of the way along an edge drawn as matplotlib's arc3 curve of
    rad `bend`, and the direction (degrees) of the curve there."""
    dx, dy = head[0] - tail[0], head[1] - tail[1]
    control = (tail[0] + dx / 2 + bend * dy, tail[1] + dy / 2 - bend * dx)
    point = tuple(
        (1 - share) ** 2 * tail[i] + 2 * share * (1 - share) * control[i] + share**2 * head[i] for i in (0, 1)
    )
    tangent = tuple(2 * (1 - share) * (control[i] - tail[i]) + 2 * share * (head[i] - control[i]) for i in (0, 1))
    return (point[0], point[1]), math.degrees(math.atan2(tangent[1], tangent[0]))


def load_matplotlib() -> None:
    """Import matplotlib (its Agg backend, pyplot, the font list and the font the pictures
    use) and Pillow in this process. The commands draw in a child forked for the time
    limit (belkg.limits), which starts with what its parent has loaded: so a process that
    draws again and again (a server, the tests) loads them once, not once per picture
    (about a second each time)."""
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    for name in ("matplotlib.pyplot", "matplotlib.patches", "matplotlib.lines", "PIL.Image"):
        importlib.import_module(name)
    from matplotlib import font_manager

    font_manager.findfont("DejaVu Sans")


def draw(graph: NetworkGraph, fmt: str, *, title: str | None = None, edge_labels: str = "auto") -> bytes:
    """The picture of a view as PNG or SVG bytes. edge_labels: "all", "deal" (only the
    deal roles), "none", or "auto" (all in a small view or a focus view, else "deal")."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    if fmt not in PICTURE_FORMATS:
        raise BelkgError(f"a picture is PNG or SVG, not {fmt!r}")
    if graph.number_of_nodes() == 0:
        raise BelkgError("nothing to draw: the view has no nodes")
    small = graph.number_of_nodes() <= 60 or "focus" in graph.graph
    if edge_labels == "auto":
        edge_labels = "all" if small else "deal"
    boxes = node_boxes(graph, base=11.0 if small else 8.5, hub=13.5 if small else 11.0, wrap=20 if small else 22)
    # Room between boxes for the edges and their role names to show. A focus view's rings
    # are spaced by it too: a few things get the room a role name needs between boxes;
    # many already sit on rings wide enough.
    gap = 0.5 if small and ("focus" not in graph.graph or graph.number_of_nodes() <= 20) else 0.14
    positions = layout(graph, boxes, room=3.2 if small else 5.0, gap=gap)

    left = min(x - boxes[n].width / 2 for n, (x, _) in positions.items())
    right = max(x + boxes[n].width / 2 for n, (x, _) in positions.items())
    bottom = min(y - boxes[n].height / 2 for n, (_, y) in positions.items())
    top = max(y + boxes[n].height / 2 for n, (_, y) in positions.items())
    margin = 0.35
    width = max(right - left + 2 * margin, 12.0)
    legend = _Legend(graph)
    title_height = 0.55 if title else 0.0
    height = top - bottom + 2 * margin + legend.height + title_height
    figure = plt.figure(figsize=(width, height), dpi=100)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    x0, y0 = left - margin, bottom - margin - legend.height
    axes.set_xlim(x0, x0 + width)
    axes.set_ylim(y0, top + margin + title_height)
    axes.set_axis_off()

    occupied = [
        (x - boxes[n].width / 2, y - boxes[n].height / 2, x + boxes[n].width / 2, y + boxes[n].height / 2)
        for n, (x, y) in positions.items()
    ]
    edge_font = 8.5 if small else 7.0
    labels: list[tuple[tuple[float, float], tuple[float, float], float, str, str, bool]] = []
    for link in _links(graph):
        start, end = positions[link.start], positions[link.end]
        tail = _clip_to_box(start, end, boxes[link.start])
        head = _clip_to_box(end, start, boxes[link.end])
        bend = 0.12 if link.curved else 0.0
        arrow = FancyArrowPatch(
            tail, head, arrowstyle="-|>", mutation_scale=10 if small else 7, color=link.colour,
            linewidth=(0.9 if link.context else 1.4) if small else 0.8, connectionstyle=f"arc3,rad={bend}",
            linestyle=(0, (4, 2.5)) if link.dashed else "solid", alpha=0.9, zorder=1, shrinkA=0, shrinkB=0,
        )  # fmt: skip
        axes.add_artist(arrow)  # not add_patch: the limits are set, and it would measure every arrow for them
        wanted = [role for role in link.roles if edge_labels == "all" or role.split(" (")[0] in DEAL_ROLES_WHOLE]
        if edge_labels != "none" and wanted:
            labels.append((tail, head, bend, " · ".join(wanted), link.colour, link.context))
    for tail, head, bend, text, colour, context in sorted(
        labels, key=lambda item: (item[5], -math.dist(item[0], item[1]))
    ):
        _edge_label(axes, tail, head, bend, text, colour, edge_font, occupied, optional=context or not small)

    focused = graph.graph.get("focus")
    for node, (x, y) in positions.items():
        data = graph.nodes[node]
        box = boxes[node]
        colour = kind_colour(str(data.get("kind", "")))
        axes.text(
            x, y, box.text, ha="center", va="center", fontsize=box.size, family="DejaVu Sans",
            fontweight="bold" if box.bold else "normal", zorder=3, linespacing=1.05,
            bbox={
                "boxstyle": "round,pad=0.45", "facecolor": tint(colour, 0.78), "edgecolor": colour,
                "linewidth": 2.6 if is_release(data) or node == focused else 1.2,
            },
        )  # fmt: skip
    if title:
        axes.text(
            x0 + 0.25, top + margin + title_height - 0.12, title, ha="left", va="top",
            fontsize=15, fontweight="bold", family="DejaVu Sans",
        )  # fmt: skip
    legend.draw(axes, x0 + 0.2, y0 + legend.height - 0.1)
    if fmt == "png":
        # The canvas's pixels go straight to the palette PNG: a PNG written by matplotlib
        # would be compressed here only to be read back (the same pixels, a second less
        # for the story view).
        figure.canvas.draw()
        size = figure.canvas.get_width_height(physical=True)
        pixels = bytes(figure.canvas.buffer_rgba())  # type: ignore[attr-defined]
        plt.close(figure)
        return _palette_png(pixels, size)
    stream = io.BytesIO()
    # SVG text stays text (searchable, selectable); a fixed salt makes the SVG's ids the
    # same in every run (by default they hash a random UUID).
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "belkg"}):
        figure.savefig(stream, format=fmt, dpi=100, metadata={"Date": None})
    plt.close(figure)
    return stream.getvalue()


def _palette_png(rgba: bytes, size: tuple[int, int]) -> bytes:
    """A PNG of the pixels (RGBA, row by row from the top) in 256 colours: a third of the
    size of a full-colour one, the same to the eye. (The fast octree palette: for the story
    view a sixth of median cut's time, and a tenth smaller once compressed at zlib's usual
    level; the highest level would take five times as long to save 4% more.)"""
    from PIL import Image

    image = Image.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB")
    stream = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        stream, format="png", compress_level=6
    )
    return stream.getvalue()


class _Legend:
    """Two legends under the picture: the kinds of thing in one row, the role families
    (and the dashed line) in three columns below."""

    FONT = 10.0
    ROW = 0.24

    def __init__(self, graph: NetworkGraph) -> None:
        self.kinds = sorted({str(data.get("kind", "")) for _, data in graph.nodes(data=True)}, key=_kind_order)
        used = {role_colour(str(data.get("role", ""))) for _, _, data in graph.edges(data=True)}
        self.roles = [(name, colour) for name, colour, _ in (*ROLE_FAMILIES, (*OTHER_ROLE, ())) if colour in used]
        self.dashed = any(data.get("modality") for _, _, data in graph.edges(data=True))
        entries = len(self.roles) + int(self.dashed)
        self.role_rows = math.ceil(entries / 3)
        self.height = 0.35 + self.ROW + (0.35 + self.ROW * self.role_rows if entries else 0.0) + 0.25

    def draw(self, axes: Any, x: float, y: float) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        things = [
            Patch(facecolor=tint(kind_colour(kind), 0.78), edgecolor=kind_colour(kind), label=kind)
            for kind in self.kinds
        ]
        roles = [Line2D([], [], color=colour, linewidth=2.4, label=name) for name, colour in self.roles]
        if self.dashed:
            roles.append(
                Line2D(
                    [], [], color="#505050", linewidth=1.6, linestyle=(0, (4, 2.5)), label="planned, demanded, hoped…"
                )
            )
        common = {
            "loc": "upper left", "fontsize": self.FONT, "title_fontsize": self.FONT, "frameon": False,
            "alignment": "left", "borderaxespad": 0.0, "handlelength": 2.2, "columnspacing": 1.6,
            "bbox_transform": axes.transData,
        }  # fmt: skip
        first = axes.legend(
            handles=things, title="things (bold border: a prisoner release)", ncols=max(1, len(things)),
            bbox_to_anchor=(x, y), **common,
        )  # fmt: skip
        axes.add_artist(first)
        if roles:
            axes.legend(
                handles=roles,
                title="roles, by colour (read an arrow as: A —role→ B; mostly who → the event)",
                ncols=3,
                bbox_to_anchor=(x, y - 0.35 - self.ROW - 0.15),
                **common,
            )


def _kind_order(kind: str) -> int:
    order = list(KIND_COLOURS)
    return order.index(kind) if kind in order else len(order)


def _text_width(text: str, size: float) -> float:
    """The width of one line of text in inches."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=size)
    return float(TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]) / 72


def _overlap(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> float:
    total = 0.0
    for other in others:
        dx = min(box[2], other[2]) - max(box[0], other[0])
        dy = min(box[3], other[3]) - max(box[1], other[1])
        if dx > 0 and dy > 0:
            total += dx * dy
    return total


def _edge_label(
    axes: Any,
    tail: tuple[float, float],
    head: tuple[float, float],
    bend: float,
    text: str,
    colour: str,
    size: float,
    occupied: list[tuple[float, float, float, float]],
    *,
    optional: bool = False,
) -> None:
    """The role name along the edge, upright, on a white ground, at the point of the edge
    where it covers the least of the boxes and labels already placed; an optional label
    (a context edge's, or any in the whole view, where colour tells the role) is left out
    rather than drawn over something."""
    length = math.dist(tail, head)
    text_width = _text_width(text, size) + 0.06
    text_height = size * 1.35 / 72
    best: tuple[float, tuple[float, float], float, tuple[float, float, float, float]] | None = None
    for share in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82):
        (x, y), angle = _point(tail, head, bend, share)
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        if length < text_width:
            angle = 0.0
        radians = math.radians(angle)
        box_w = abs(text_width * math.cos(radians)) + abs(text_height * math.sin(radians))
        box_h = abs(text_width * math.sin(radians)) + abs(text_height * math.cos(radians))
        box = (x - box_w / 2, y - box_h / 2, x + box_w / 2, y + box_h / 2)
        cost = _overlap(box, occupied)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, (x, y), angle, box)
        if cost == 0:
            break
    assert best is not None
    cost, (x, y), angle, box = best
    if optional and cost > 0:
        return
    occupied.append(box)
    axes.text(
        x, y, text, ha="center", va="center", fontsize=size, color=colour, rotation=angle,
        rotation_mode="anchor", family="DejaVu Sans", zorder=4,
        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )  # fmt: skip
