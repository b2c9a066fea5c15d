"""The bundled demo: recorded cassettes and the settings they were recorded with (package data)."""
