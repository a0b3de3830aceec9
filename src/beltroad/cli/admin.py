"""Commands that set up and serve: the database, editors' accounts and the web server."""

from __future__ import annotations

from typing import Annotated

import typer

from beltroad.cli._app import JsonFlag, State, any_store, app, db_app, out, print_json, ready_store, user_app


@db_app.command("init")
def db_init(json_out: JsonFlag = False) -> None:
    """Create or upgrade the schema and (re)load the curated knowledge base."""
    from beltroad.store import counts_by_kind, load_knowledge_base, migrate

    engine = any_store()
    migrate(engine)
    written = load_knowledge_base(engine)
    with engine.connect() as conn:
        counts = counts_by_kind(conn)
    url = engine.url.render_as_string(hide_password=True)
    if json_out:
        print_json({"database": url, "curated_records": written, "records_by_kind": counts})
        return
    out.print(f"[green]ok[/] {url}: {written} curated records loaded")
    out.print(", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


@db_app.command("check")
def db_check(json_out: JsonFlag = False) -> None:
    """Check every record is cited and valid, every link resolves and every point is in its country."""
    from beltroad.store import check_store

    engine = ready_store()
    with engine.connect() as conn:
        report = check_store(conn)
    if json_out:
        print_json(report)
    else:
        out.print(
            f"{report['records']} records, {report['citations']} citations, {report['sources']} sources"
        )
        uncited = sum(1 for p in report["problems"] if p["check"] == "cited")
        out.print(
            f"uncited records: {uncited}; points outside their country: {report['points_outside_country']}"
        )
        for p in report["problems"][:50]:
            out.print(f"[red]{p['check']}[/] {p['record']}: {p['message']}")
        if len(report["problems"]) > 50:
            out.print(f"… and {len(report['problems']) - 50} more (use --json for all)")
        out.print("[green]ok[/]" if report["ok"] else f"[red]{len(report['problems'])} problem(s)[/]")
    if not report["ok"]:
        raise typer.Exit(1)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The editor's name, as shown in the audit trail.")],
    role: Annotated[str, typer.Option(help="The account's role.")] = "editor",
    json_out: JsonFlag = False,
) -> None:
    """Create an editor and print their API token (shown once; only its hash is stored)."""
    from beltroad.store import add_user

    engine = ready_store()
    with engine.begin() as conn:
        token = add_user(conn, name, role)
    if json_out:
        print_json({"name": name, "role": role, "token": token})
        return
    out.print(f"created {role} {name!r}; their token (shown only now):")
    out.print(token, markup=False, highlight=False)


@user_app.command("list")
def user_list(json_out: JsonFlag = False) -> None:
    """List editors (names, roles, dates; never tokens)."""
    from beltroad.store import list_users

    engine = ready_store()
    with engine.connect() as conn:
        users = list_users(conn)
    if json_out:
        print_json(users)
        return
    for u in users:
        used = f"  last used {u['last_used_at']}" if u["last_used_at"] else "  never used"
        out.print(
            f"{u['name']}  {u['role']}  since {u['created_at']}{used}{'' if u['active'] else '  (revoked)'}",
            markup=False,
        )


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(help="The editor whose token stops working.")],
    json_out: JsonFlag = False,
) -> None:
    """Revoke an editor's token at once; the account and every change it made stay in the history."""
    from beltroad.store import revoke_user

    engine = ready_store()
    with engine.begin() as conn:
        revoke_user(conn, name)
    if json_out:
        print_json({"name": name, "active": False})
        return
    out.print(f"revoked {name!r}: their token no longer writes", markup=False)


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each with its own response cache).")
    ] = 1,
) -> None:
    """Serve the observatory (web pages and REST API); initialises the database on first start."""
    import os

    import uvicorn

    from beltroad.api import create_app
    from beltroad.store import ensure_store

    engine = any_store()
    if ensure_store(engine):
        out.print("initialised the database with the curated knowledge base")
    host = host or State.settings.host
    port = port or State.settings.port
    out.print(f"beltroad observatory on http://{host}:{port}/  (API docs: /api/docs)")
    if workers == 1:
        uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")
        return
    # worker processes build their own app from the environment
    os.environ["BELTROAD_DATABASE_URL"] = State.settings.resolved_database_url()
    uvicorn.run(
        "beltroad.api.asgi:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
