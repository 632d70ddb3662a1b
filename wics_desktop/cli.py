"""The `wics` command line: every batch job of WICS, for scripting (see CLI_CONTRACT.md).

Each area registers its subcommands from a module in wics_desktop.commands; this file holds
the global options, the exit-code rules and the error handling they share. Heavy libraries
(pandas, Qt) are imported only by the commands that need them, so `wics --version` is quick.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from . import __version__
from .commands.base import CliContext
from .core.errors import WicsError

# Modules in wics_desktop.commands that add subcommands (each has register(subparsers)).
COMMAND_MODULES = ("db", "demo", "log", "setup", "counts", "reports", "imports", "users", "sync",
                   "migrate", "plan", "alerts", "audit", "lists")

log = logging.getLogger("wics.cli")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line hint, as the contract's usage error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wics", description="WICS Desktop command line")
    parser.add_argument("--version", action="version", version=f"wics {__version__}")
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: "
                        "WICS_DATABASE_URL, the config file, else the embedded SQLite file)")
    parser.add_argument("--user", metavar="NAME",
                        help="sign in as this WICS user; the password comes from WICS_PASSWORD, "
                        "else a prompt (default: the connection's own identity)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


# Options whose value may start with '-' (a quantity "-3*2"): argparse would take such a value
# for an unknown option (exit 2), so "--qty -3*2" is handed to it as "--qty=-3*2".
DASH_VALUE_OPTIONS = ("--qty",)


def attach_dash_values(argv: list[str]) -> list[str]:
    fixed: list[str] = []
    i = 0
    while i < len(argv):
        if (argv[i] in DASH_VALUE_OPTIONS and i + 1 < len(argv)
                and argv[i + 1].startswith("-") and argv[i + 1] not in ("-h", "--help")
                and not argv[i + 1].startswith("--")):
            fixed.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
            continue
        fixed.append(argv[i])
        i += 1
    return fixed


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(attach_dash_values(list(sys.argv[1:] if argv is None else argv)))
    ctx = CliContext(db_url=args.db, user=args.user, json=getattr(args, "json", False),
                     permission=getattr(args, "permission", None))
    try:
        from .core import logs

        logs.configure()
        task_name = getattr(args, "task", None)
        if task_name:
            # Batch jobs (imports, reports, sync, demo) leave one task-log line when they end.
            from .core import tasklog

            with tasklog.task(task_name, ctx.actor) as ctx.task:
                result = args.handler(ctx, args)
        else:
            result = args.handler(ctx, args)
        return int(result or 0)
    except WicsError as exc:
        payload = getattr(exc, "payload", None)
        if getattr(exc, "field", None) and (payload is None or isinstance(payload, dict)):
            payload = {**(payload or {}), "field": exc.field}  # the input it is about
        ctx.fail(str(exc), exc.exit_code, payload)
        return exc.exit_code
    except KeyboardInterrupt:
        ctx.say("Interrupted; nothing more was written.")
        return 130
    except BrokenPipeError:
        # `wics ... | head` closed stdout early: not an error of ours. Point stdout at devnull
        # so the interpreter's final flush does not complain again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # an unexpected failure: say so briefly, log the traceback
        sa_exc = sys.modules.get("sqlalchemy.exc")  # loaded by then if the database was used
        if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
            # the database refused a statement (a value out of its range, a lock, ...): a
            # database problem, exit 4 with the server's words - not a crash of ours
            from .core.db import short_reason

            log.exception("wics %s: the database refused", args.command)
            ctx.fail(f"The database refused the command: {short_reason(exc)}", 4)
            return 4
        log.exception("wics %s failed", args.command)
        ctx.fail(f"Unexpected error: {exc.__class__.__name__}: {exc}", 1)
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
