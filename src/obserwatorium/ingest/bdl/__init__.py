"""Statistics Poland Local Data Bank (BDL) connector: the API client and the catalogue sync."""
