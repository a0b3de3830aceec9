"""The web front end: server-rendered pages now; the map and charts build on them."""
