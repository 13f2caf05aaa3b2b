"""API of the territory: the units, with membership, validity dates and boundaries."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from obserwatorium.api.errors import ErrorOut
from obserwatorium.api.json_body import json_response
from obserwatorium.api.params import check_path_code, unknown_codes
from obserwatorium.territory import selectors
from obserwatorium.territory.params import UnitFilters
from obserwatorium.territory.schemas import UnitDetailOut, UnitOut
from obserwatorium.vocabulary import TERYT

router = Router()

ERRORS = {422: ErrorOut}
# The operation ids clients know, from when these endpoints lived in api/observatory.py.
OPERATION_ID = "obserwatorium_api_observatory_{}".format
UNIT_KEYS = tuple(UnitOut.model_fields)


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Territorial units",
            operation_id=OPERATION_ID("list_units"))
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    """Gminy, powiaty, voivodeships and the metropolis, with membership, validity dates and area."""
    if filters.parent and not selectors.unit_ids_by_teryt([filters.parent]):
        raise unknown_codes(name="parent", what="TERYT code", codes=[filters.parent])
    rows = selectors.units(level=filters.level, membership=filters.membership, parent_teryt=filters.parent)
    # Encoded here, not through the response model: at 2,477 gminy the model and its encoder took half the request.
    return json_response([{key: row[key] for key in UNIT_KEYS} for row in rows])


@router.get("/units/{teryt}", response={200: UnitDetailOut, 404: ErrorOut, **ERRORS}, summary="One unit",
            operation_id=OPERATION_ID("get_unit"))
def get_unit(request: HttpRequest, teryt: str,
             geometry: bool = Query(False, description="Include the GeoJSON boundary.")):
    """The current version of a unit; with geometry=true also its GeoJSON boundary."""
    row = selectors.unit(check_path_code(teryt, name="teryt", term=TERYT), geometry=geometry)
    if row is None:
        raise HttpError(404, f"unknown TERYT code: {teryt}")
    return row
