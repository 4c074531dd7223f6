"""Settings: read once with the standard library (`sources`), validated once by pydantic (`model`).

The first frame is painted from what `sources` reads, before pydantic is imported;
`model` validates the same merged values right after. Import the submodule you need.
"""
