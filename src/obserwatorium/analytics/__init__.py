"""Pure numeric heart of the observatory (no Django import): derived values, aggregates, indices, ranks, trends.

Frames are long polars frames with the columns `unit` (a TERYT code or a group key), `period` (YYYY, YYYY-Qn or
YYYY-MM), `value` (Float64) and `flag` (final/provisional/estimated/confidential/demo); frames that hold several
indicators add an `indicator` column.
"""
