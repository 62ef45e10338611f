"""Small geometry helpers for the district polygons, so no GIS stack or tile server is needed."""

from collections.abc import Iterable, Sequence

Point = Sequence[float]
Ring = Sequence[Point]


def _rings(geometry: dict) -> Iterable[list[Ring]]:
    """Yield each polygon of a Polygon or MultiPolygon as a list of rings (outer first)."""
    if not geometry:
        return
    if geometry.get("type") == "Polygon":
        yield geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        yield from geometry["coordinates"]


def _inside_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether the point lies inside the (Multi)Polygon, holes excluded (ray casting)."""
    for polygon in _rings(geometry):
        inside_outer = bool(polygon) and _inside_ring(lon, lat, polygon[0])
        if inside_outer and not any(_inside_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def bounds(geometries: Iterable[dict]) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) over all the geometries."""
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        for polygon in _rings(geometry):
            for ring in polygon:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    if not xs:
        raise ValueError("no coordinates")
    return min(xs), min(ys), max(xs), max(ys)


def svg_path(
    geometry: dict, box: tuple[float, float, float, float], width: float, height: float
) -> str:
    """An SVG path for the geometry, projected into a width × height viewport fitted to box.

    Longitude is scaled by cos(latitude) so Copenhagen is not stretched sideways; y grows downward.
    """
    import math

    min_lon, min_lat, max_lon, max_lat = box
    mid_lat = math.radians((min_lat + max_lat) / 2)
    span_x = (max_lon - min_lon) * math.cos(mid_lat)
    span_y = max_lat - min_lat
    scale = min(width / span_x, height / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    parts: list[str] = []
    for polygon in _rings(geometry):
        for ring in polygon:
            coords = [
                (
                    off_x + (p[0] - min_lon) * math.cos(mid_lat) * scale,
                    off_y + (max_lat - p[1]) * scale,
                )
                for p in ring
            ]
            if not coords:
                continue
            head = f"M{coords[0][0]:.1f} {coords[0][1]:.1f}"
            tail = "".join(f"L{x:.1f} {y:.1f}" for x, y in coords[1:])
            parts.append(f"{head}{tail}Z")
    return "".join(parts)
