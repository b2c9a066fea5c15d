"""Collectors: read one upstream each (through `devstats.http.HttpClient`) and return models."""
