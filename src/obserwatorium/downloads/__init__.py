"""Downloads: one writer per open format (CSV dialects, XLSX, JSON, Parquet, GeoJSON, data package); no Django."""
