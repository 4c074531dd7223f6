"""The floor for bench/export.py: replay the same getAll bodies with bare httpx + json.

python bench/_raw_export.py URL BODIES.json OUTPUT.jsonl
"""

from __future__ import annotations

import asyncio
import json
import sys

import httpx


async def main(url: str, bodies_path: str, output_path: str) -> None:
    with open(bodies_path) as file:
        bodies = json.load(file)
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        with open(output_path, "w", encoding="utf-8") as output:
            for body in bodies:
                response = await http.post("/api/connector/v1/messageThreads/getAll", json=body)
                for thread in json.loads(response.content)["MessageThreads"]:
                    output.write(json.dumps(thread, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
