"""A terminal inbox for the message threads of the Mews Connector API."""

__version__ = "0.1.0"
