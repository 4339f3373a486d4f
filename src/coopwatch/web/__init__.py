"""`coopwatch serve`: the JSON API (api.py) and the server-rendered pages (pages.py) over the record."""
