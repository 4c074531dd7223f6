"""The TLS context, built on a thread of its own from the start of the process.

httpx's default context (certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR) is
made the same way here with the standard library: loading the CA bundle takes
30-45 ms and releases the GIL, so it overlaps with importing Textual, and httpx
itself is imported only after the first frame.
"""

from __future__ import annotations

import os
import ssl
from concurrent.futures import Future, ThreadPoolExecutor


def default_context() -> ssl.SSLContext:
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def tls_context_in_background() -> Future[ssl.SSLContext]:
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tls-context")
    context = executor.submit(default_context)
    executor.shutdown(wait=False)
    return context
