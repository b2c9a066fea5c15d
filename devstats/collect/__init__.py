"""Collectors: read one upstream each (through `devstats.http.client.HttpClient`) and return the
facts of `devstats.model`."""
