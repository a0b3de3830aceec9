"""Commands that turn documents into records: extract, ingest and review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from beltroad.cli._app import JsonFlag, app, err, out, pairs, print_json, ready_store
from beltroad.errors import BeltroadError, check_choice
from beltroad.store import CandidateRow


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="A .txt, .md, .html or .pdf document.")],
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = 20.0,
    json_out: JsonFlag = False,
) -> None:
    """Candidate places, dates and quantities in a document, with their spans; stores nothing."""
    from beltroad.ingest import extract, read_document

    document = read_document(file, max_bytes=int(max_mb * 1024 * 1024))
    conn_ctx = None
    try:
        engine = ready_store()
        conn_ctx = engine.connect()
    except BeltroadError as exc:
        # without a store, places resolve through the gazetteer and country names only
        conn_ctx = None
        err.print(f"note: places resolve without the knowledge base ({exc})", markup=False)
    try:
        with err.status(f"reading {file.name}…"):
            candidates = extract(document.text, conn_ctx)
    finally:
        if conn_ctx is not None:
            conn_ctx.close()
    if document.pages:
        for item in candidates:
            item["page"] = document.page_of(item["start"])
    if json_out:
        print_json(candidates)
        return
    out.print(
        f"{file} ({document.kind}, sha256 {document.sha256[:12]}…): {len(candidates)} candidates",
        markup=False,
    )
    table = Table(header_style="bold")
    for col in ("kind", "text", "normalised", "span"):
        table.add_column(col, overflow="fold")
    for c in candidates:
        norm = (
            f"{c['value']:g} {c['unit']}"
            if c["kind"] == "quantity"
            else f"{c['value']} ({c['precision']}{', ' + c['qualifier'] if c['qualifier'] else ''})"
            if c["kind"] == "date"
            else c.get("record") or c.get("country") or f"{c.get('name')} ({c.get('country_iso2')})"
        )
        table.add_row(c["kind"], c["text"], str(norm), f"{c['start']}–{c['end']}")
    out.print(table)


@app.command("ingest")
def ingest_cmd(
    files: Annotated[list[Path], typer.Argument(help="Documents (.txt, .md, .html, .pdf).")],
    kind: Annotated[str, typer.Option(help="paper, news, opinion, official or report.")] = "report",
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = 20.0,
    json_out: JsonFlag = False,
) -> None:
    """Store documents as sources and queue their candidate facts for review (one transaction each)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from beltroad.ingest import SOURCE_KINDS, ingest_document

    check_choice(kind, SOURCE_KINDS, "source kind")
    engine = ready_store()
    done, failed = [], []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err, disable=json_out
    ) as bar:
        task = bar.add_task("ingesting", total=len(files))
        for path in files:
            bar.update(task, description=f"ingesting {path.name}")
            try:
                done.append(ingest_document(engine, path, kind=kind, max_bytes=int(max_mb * 1024 * 1024)))
            except BeltroadError as exc:
                failed.append({"file": str(path), "error": str(exc)})
            bar.advance(task)
    if json_out:
        print_json(
            {
                "ingested": [
                    {"file": str(d.path), "source": d.source_id, "new": d.new, "candidates": d.candidates}
                    for d in done
                ],
                "failed": failed,
            }
        )
    else:
        for d in done:
            state = f"{d.candidates} candidates queued" if d.new else "already ingested, nothing changed"
            out.print(f"ok {d.path} → source {d.source_id}: {state}", markup=False)
        for f in failed:
            err.print(f"failed {f['error']}", markup=False)
    if failed:
        raise typer.Exit(1)


REVIEW_PROMPTS = {
    "measure": "measure (e.g. land_area, trade_value)",
    "subject": "subject (a record id)",
    "kind": "agreement kind (memorandum, minutes_of_talks, investment_cooperation, …)",
    "as_of": "as of (YYYY, YYYY-MM or YYYY-MM-DD)",
}


@app.command("review")
def review_cmd(
    user: Annotated[str, typer.Option(help="The editor deciding (see `beltroad user list`).")],
    source: Annotated[str | None, typer.Option(help="Only this ingested source's candidates.")] = None,
) -> None:
    """Accept, edit, reject or skip ingested candidates one by one; accepted ones become records or citations."""
    from beltroad.ingest import pending, require_editor

    engine = ready_store()
    require_editor(engine, user)
    queue = pending(engine, source)
    if not queue:
        out.print("nothing to review")
        return
    for number, c in enumerate(queue, 1):
        if not _review_one(engine, user, c, f"[{number}/{len(queue)}]"):
            break


def _review_one(engine: Any, user: str, c: CandidateRow, counter: str) -> bool:
    """Show one candidate and take decisions until it is decided or skipped; False to quit."""
    from beltroad.ingest import decide, describe, edit, needs

    data = c["data"]
    while True:
        out.print(f"{counter} {c['kind']} {c['text']!r} → {describe(c['kind'], data)}", markup=False)
        # the sentence it was read from, the mention marked, so the reviewer sees its context
        sentence = str(data.get("sentence_text") or "")
        s = data.get("sentence", [c["start"], c["end"]])[0]
        at = c["start"] - s
        if sentence and 0 <= at <= len(sentence) and c["kind"] != "relation":
            sentence = f"{sentence[:at]}»{sentence[at : at + c['end'] - c['start']]}«{sentence[at + c['end'] - c['start'] :]}"
        if sentence:
            out.print(f"    {' '.join(sentence.split())}", markup=False)
        out.print(f"    ({c['source_id']}, chars {c['start']}–{c['end']})", markup=False, style="dim")
        choice = (
            typer.prompt("accept, edit, reject, skip or quit? [a/e/r/s/q]", default="s").strip().lower()[:1]
        )
        if choice == "q":
            return False
        if choice == "e":
            changes = typer.prompt("FIELD=VALUE; … (e.g. value=2017; places=Chongqing,Minsk Oblast)")
            try:
                fields = pairs([x.strip() for x in changes.split(";") if x.strip()], "an edit", "FIELD=VALUE")
                data = edit(engine, c["id"], user, fields)["data"]
            except BeltroadError as exc:
                err.print(f"not edited: {exc}", markup=False)
            continue
        if choice not in {"a", "r"}:
            return True
        extra: dict[str, Any] = {}
        if choice == "a":
            for field in needs(c["kind"], data):
                extra[field] = typer.prompt(REVIEW_PROMPTS[field])
            if c["kind"] == "quantity":
                as_of = typer.prompt("as of (YYYY, YYYY-MM or YYYY-MM-DD; empty for none)", default="")
                extra["as_of"] = as_of or None
        try:
            done = decide(engine, c["id"], "accept" if choice == "a" else "reject", user, **extra)
        except BeltroadError as exc:
            err.print(f"not done: {exc}", markup=False)
            return True
        out.print(
            f"  {done['decision']}ed" + (f" → {done['record']}" if done["record"] else ""), markup=False
        )
        return True
