"""Who wrote a message, shared by the API's model and the cache's plain copy of it.

Without pydantic: the first frame may show a cached conversation.
"""

from __future__ import annotations


class SenderKind:
    """What a message's `Sender.Discriminator` means: `Enterprise` is hotel staff,
    `Application` this integration; any other value is kept and shown as it is."""

    __slots__ = ()
    Discriminator: str

    @property
    def is_staff(self) -> bool:
        return self.Discriminator == "Enterprise"

    @property
    def is_application(self) -> bool:
        return self.Discriminator == "Application"
