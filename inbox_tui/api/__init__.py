"""The Connector API: models, errors, the client, the pager and thread creation.

httpx imports its command-line client whenever click and pygments are installed,
and here they always are (uvicorn brings click, rich brings pygments): about
25 ms of every start spent on code the inbox never runs. A placeholder for that
module, set before httpx is first imported, makes httpx take its documented
fallback for a missing CLI. Only the `httpx` command itself would notice.
"""

import sys
from types import ModuleType

sys.modules.setdefault("httpx._main", ModuleType("httpx._main"))
