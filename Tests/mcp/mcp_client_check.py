#!/usr/bin/env python3
"""`fieldroute mcp` driven by a real MCP client (the `mcp` package from PyPI, pinned in .ci/run).

Makes the demo database, starts the server over stdio as an assistant would, lists the tools
and calls each one, checking every answer: day_windows, why_unplanned, find_slots, book,
insert_job, cancel_job, move_job, technician_unavailable and reoptimize (a what-if unless
"commit": true), and that a misspelt argument is a tool error with the CLI's message.

    python3 Tests/mcp/mcp_client_check.py [path/to/fieldroute]
"""
import asyncio
import datetime as dt
import json
import pathlib
import subprocess
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = pathlib.Path(__file__).resolve().parents[2]
DAY, ELEVEN = "2026-11-24", "2026-11-24T11:00:00+01:00"
TOOLS = {"day_windows", "why_unplanned", "find_slots", "book", "insert_job", "cancel_job", "move_job",
         "technician_unavailable", "reoptimize"}


async def check(binary: str, db: str) -> None:
    params = StdioServerParameters(command=binary, args=["mcp", "--db", db])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            names = {t.name for t in listed.tools}
            assert names == TOOLS, f"tools: {sorted(names)}"
            for tool in listed.tools:
                assert tool.inputSchema.get("type") == "object" and tool.inputSchema.get("properties"), tool.name

            async def call(name, args, error=False):
                result = await session.call_tool(name, args)
                text = result.content[0].text
                assert result.isError == error, f"{name}: isError {result.isError}: {text[:300]}"
                print(f"  {name}: {'error' if error else 'ok'}: {text[:90]!r}")
                return text if error else json.loads(text)

            visits = await call("day_windows", {"date": DAY})
            assert len(visits) > 100
            later = next(v for v in visits if v["planned"] > "15:00")
            assert all("reason" in u for u in await call("why_unplanned", {"date": DAY}))
            assert (await call("reoptimize", {"date": DAY, "now": ELEVEN, "iterations": 20}))["committed"] is False
            job = {"id": "B-MCP-1", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 30, "windows": ["13:00-17:00"]}
            assert (await call("insert_job", {"date": DAY, "now": ELEVEN, "job": job, "commit": False}))["options"]
            for name in ["technician_unavailable", "move_job"]:
                args = {"date": DAY, "now": ELEVEN, "technician": later["technician"], "commit": False}
                if name == "move_job":
                    args["booking"] = later["booking"]
                await call(name, args)
            await call("cancel_job", {"date": DAY, "now": ELEVEN, "booking": later["booking"], "reason": "forgot", "commit": False})
            # Slots and booking are for days ahead of the clock (the demo day is in the past for them).
            ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()
            slots = await call("find_slots", {"lat": 45.76, "lon": 4.85, "duration_min": 30, "from": ahead, "days": 1})
            if slots:
                booked = await call("book", {"id": "B-MCP-2", "customer": "C-1001", "lat": 45.76, "lon": 4.85, "duration_min": 30,
                                             "slot": slots[0]["id"]})
                assert booked["booking"] == "B-MCP-2" or "B-MCP-2" in json.dumps(booked)
            else:
                await call("book", {"id": "B-MCP-2", "customer": "C-1001", "lat": 45.76, "lon": 4.85, "duration_min": 30,
                                    "date": ahead, "window": "10:00-12:00"})
            text = await call("reoptimize", {"date": DAY, "comit": True}, error=True)
            assert text.startswith("reoptimize: unknown argument 'comit'"), text


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else str(next(
        (p for p in [ROOT / ".build" / "debug" / "fieldroute", ROOT / ".build" / "release" / "fieldroute"] if p.exists()),
        ROOT / ".build" / "debug" / "fieldroute"))
    with tempfile.TemporaryDirectory() as tmp:
        # The demo region planned but not yet driven (`demo` alone would also simulate the day).
        db, demo = str(pathlib.Path(tmp) / "mcp.sqlite"), pathlib.Path(tmp) / "demo"
        def run(*args):
            subprocess.run([binary, *args], check=True, capture_output=True)
        run("demo", "--export", str(demo))
        run("init", "--db", db, "--region", "lyon", "--time-zone", "Europe/Paris")
        for kind in ["technicians", "shifts", "customers", "bookings"]:
            run("import", kind, str(demo / f"{kind}.csv"), "--db", db)
        run("plan", "--db", db, "--date", DAY, "--iterations", "300", "--seed", "1")
        asyncio.run(check(binary, db))
    print("mcp client check: every tool listed and called")
    return 0


if __name__ == "__main__":
    sys.exit(main())
