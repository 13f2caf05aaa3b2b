"""Official boundaries for the web: read PRG shapefiles or GeoJSON, reproject, simplify the coverage keeping shared
borders, orient rings as Vega-Lite draws them."""
