"""Nothing lost, nothing escapes (issue 12): a letter and its ledger row are committed together
or not at all, the ledger survives its accidents, a rebuild writes only where it is told,
child processes end with their parent, files follow the umask, names stay within the system's
limits and one association is one whatever its Unicode spelling.

Every failure here is real: a full disk is a file-size limit (RLIMIT_FSIZE) on the process, a
read-only ledger one that belongs to another user (the test drops to `nobody` when it runs as
root), a locked ledger one that another connection holds."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from letterkit.cli import app

runner = CliRunner()
COMPOSE = ["compose", "--assoc", "ARPE", "--themes", "mediation", "--date", "2026-03-01"]
STEM = "2026-03-01-arpe-mediation"


def run(*args: str, project: Path):
    return runner.invoke(app, [*args, "--project", str(project)])


def letterkit(*args: str, project: Path, **options) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "letterkit", *args, "--project",
                             str(project)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **options)


def rows(project: Path) -> list[dict[str, object]]:
    result = run("ledger", "--json", project=project)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def letters(project: Path) -> list[str]:
    folder = project / "letters"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def until(condition, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Wait for `condition()` (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


# --- 1. all or nothing ---------------------------------------------------------------------

def _waiting_on(folder: Path) -> int:
    """How many processes wait for the flock this test holds on `folder` (/proc/locks)."""
    inode = os.stat(folder).st_ino
    return sum(1 for line in Path("/proc/locks").read_text().splitlines()
               if "->" in line and line.split()[-3].endswith(f":{inode}"))


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_two_racing_composes_of_one_letter_cannot_both_win(campaign) -> None:
    from letterkit.files import locked

    # The handshake: this test holds the writer's lock; both composes prepare their letter,
    # then wait on it; the race starts only once both are there, whatever the machine's load.
    with locked(campaign):
        racers = [letterkit(*COMPOSE, "--format", "md", project=campaign) for _ in range(2)]
        until(lambda: _waiting_on(campaign) == 2, "both composes to wait at the writer's lock",
              seconds=120)
        assert all(p.poll() is None for p in racers)
    outcomes = sorted((p.wait(timeout=60), p.communicate()[1]) for p in racers)
    assert [code for code, _ in outcomes] == [0, 1], outcomes
    assert outcomes[1][1] == (f"Error: {campaign / 'letters' / STEM}.md already exists — pass "
                              "--force to overwrite it, or --date/--out for another\n")
    assert [r["id"] for r in rows(campaign)] == [1]
    assert letters(campaign) == [f"{STEM}.md"]


def _compose_on_a_full_disk(campaign: Path, room: int, results) -> None:  # type: ignore[no-untyped-def]
    from letterkit.formats import pdf
    from letterkit.paths import stylesheet

    pdf.writer(stylesheet(campaign), campaign)  # WeasyPrint's fonts, written while there is room
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit, write() fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))
    result = run(*COMPOSE, project=campaign)
    results.put((result.exit_code, result.stderr))


def test_a_full_disk_writes_no_markdown_without_its_pdf(campaign) -> None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    # Room for the Markdown letter (4 kB) but not for the PDF (over 20 kB).
    child = context.Process(target=_compose_on_a_full_disk,
                            args=(campaign.resolve(), 12_000, results))
    child.start()
    code, stderr = results.get(timeout=120)
    child.join()
    assert code == 1
    assert stderr == (f"Error: cannot write {campaign / 'letters' / STEM}.pdf: file too large "
                      "— free some space, or choose another folder with --out; nothing was "
                      "written\n")
    assert letters(campaign) == []
    assert rows(campaign) == []
    retry = run(*COMPOSE, project=campaign)
    assert retry.exit_code == 0, retry.output
    assert letters(campaign) == [f"{STEM}.md", f"{STEM}.pdf"]


@pytest.fixture
def busy(monkeypatch) -> None:
    from letterkit.ledger import database as ledger

    monkeypatch.setattr(ledger, "BUSY_TIMEOUT", 0.2)  # rather than 30 s of waiting


def test_a_locked_ledger_writes_no_letter_and_a_retry_works(campaign, busy) -> None:
    assert run(*COMPOSE[:-1], "2026-03-02", "--format", "md", project=campaign).exit_code == 0
    other = sqlite3.connect(campaign / "ledger.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing to the ledger
    locked = run(*COMPOSE, project=campaign)
    assert locked.exit_code == 1
    assert locked.stderr == (f"Error: {campaign / 'ledger.sqlite'}: the ledger is locked by "
                             "another program — close the program that has it open, then run "
                             "the command again; nothing was written\n")
    assert not [n for n in letters(campaign) if n.startswith(STEM)]
    other.execute("ROLLBACK")
    other.close()
    retry = run(*COMPOSE, project=campaign)
    assert retry.exit_code == 0, retry.output
    assert [r["id"] for r in rows(campaign)] == [1, 2]


def test_a_damaged_ledger_is_refused_and_nothing_is_written(campaign) -> None:
    assert run(*COMPOSE[:-1], "2026-03-02", "--format", "md", project=campaign).exit_code == 0
    database = campaign / "ledger.sqlite"
    database.write_bytes(b"not a database, a spreadsheet saved over it" * 100)
    damaged = run(*COMPOSE, project=campaign)
    assert damaged.exit_code == 1
    assert damaged.stderr == (
        f"Error: {database}: the ledger is damaged (file is not a database) — move it aside "
        "(rename it ledger.sqlite.damaged): the next command rebuilds it from ledger.csv; "
        "nothing was written\n")
    assert not [n for n in letters(campaign) if n.startswith(STEM)]
    assert run("ledger", project=campaign).exit_code == 1
    database.rename(campaign / "ledger.sqlite.damaged")
    retry = run(*COMPOSE, project=campaign)
    assert retry.exit_code == 0, retry.output
    assert [(r["id"], r["date"]) for r in rows(campaign)] == [(1, "2026-03-02"),
                                                              (2, "2026-03-01")]


def _read_only_ledger(project: Path) -> list[str]:
    """Make ledger.sqlite read-only for the next compose: its mode for a user, and for root
    (who writes anything) a user namespace in which the file's owner is unknown."""
    database = project / "ledger.sqlite"
    if os.geteuid() != 0:
        database.chmod(0o444)
        return []
    os.chown(database, 54321, 54321)
    if subprocess.run(["unshare", "--map-root-user", "true"], capture_output=True).returncode:
        pytest.skip("needs unshare --map-root-user (user namespaces) when run as root")
    return ["unshare", "--map-root-user"]


def test_a_read_only_ledger_writes_no_letter_and_a_retry_works(campaign) -> None:
    assert run(*COMPOSE[:-1], "2026-03-02", "--format", "md", project=campaign).exit_code == 0
    prefix = _read_only_ledger(campaign)
    refused = subprocess.run([*prefix, sys.executable, "-m", "letterkit", *COMPOSE, "--project",
                              str(campaign)], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"Error: {campaign / 'ledger.sqlite'}: the ledger cannot be written (attempt to write "
        "a readonly database) — make it and the campaign folder writable, then run the "
        "command again; nothing was written\n")
    assert not [n for n in letters(campaign) if n.startswith(STEM)]
    (campaign / "ledger.sqlite").chmod(0o644)
    retry = run(*COMPOSE, project=campaign)
    assert retry.exit_code == 0, retry.output
    assert [r["id"] for r in rows(campaign)] == [1, 2]


def test_a_read_only_output_folder_writes_nothing(campaign, tmp_path) -> None:
    out = tmp_path / "lecture-seule"
    out.mkdir()
    if os.geteuid() == 0:  # the folder belongs to a user unknown in the namespace
        os.chown(out, 54321, 54321)
        prefix = ["unshare", "--map-root-user"]
        if subprocess.run([*prefix, "true"], capture_output=True).returncode:
            pytest.skip("needs unshare --map-root-user (user namespaces) when run as root")
    else:
        out.chmod(0o555)
        prefix = []
    refused = subprocess.run([*prefix, sys.executable, "-m", "letterkit", *COMPOSE, "--out",
                              str(out), "--project", str(campaign)],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert refused.stderr == (f"Error: cannot write {out / STEM}.md: permission denied — check "
                              "that the output folder exists and is writable, or choose "
                              "another with --out\n")
    assert list(out.iterdir()) == []
    assert rows(campaign) == []


def test_a_ledger_in_a_folder_one_cannot_write_is_still_listed(campaign) -> None:
    compose_two(campaign)
    if os.geteuid() == 0:  # the campaign belongs to a user unknown in the namespace
        for path in [campaign, *campaign.iterdir()]:
            os.chown(path, 54321, 54321)
        prefix = ["unshare", "--map-root-user"]
        if subprocess.run([*prefix, "true"], capture_output=True).returncode:
            pytest.skip("needs unshare --map-root-user (user namespaces) when run as root")
    else:
        campaign.chmod(0o555)
        (campaign / "ledger.sqlite").chmod(0o444)
        prefix = []
    listed = subprocess.run([*prefix, sys.executable, "-m", "letterkit", "ledger", "--json",
                             "--project", str(campaign)], capture_output=True, text=True,
                            timeout=120)
    campaign.chmod(0o755)
    assert listed.returncode == 0, listed.stderr
    assert [r["date"] for r in json.loads(listed.stdout)] == ["2026-03-01", "2026-03-02"]


def test_the_library_compose_writes_no_ledger(campaign, tmp_path) -> None:
    import datetime as dt

    from letterkit.campaign.project import load_project
    from letterkit.ledger.database import Ledger
    from letterkit.pipeline.build import Request, compose

    project = load_project(campaign)
    request = Request("ARPE", ["numerique"], dt.date(2026, 3, 1), tmp_path / "a", ("md",))
    assert compose(project, request).id is None
    assert not (campaign / "ledger.sqlite").exists() and not (campaign / "ledger.csv").exists()
    request.out = tmp_path / "b"
    assert compose(project, request, ledger=Ledger(campaign)).id == 1
    assert [e.assoc for e in Ledger(campaign).entries()] == ["ARPE"]


# --- 2. the ledger survives its accidents ---------------------------------------------------

def compose_two(project: Path) -> None:
    for date in ("2026-03-01", "2026-03-02"):
        result = run(*COMPOSE[:-1], date, "--format", "md", project=project)
        assert result.exit_code == 0, result.output


def test_a_lost_database_is_rebuilt_from_the_csv_and_no_id_is_reused(campaign) -> None:
    compose_two(campaign)
    before = rows(campaign)
    (campaign / "ledger.sqlite").unlink()
    assert rows(campaign) == before
    table = run("ledger", project=campaign).stdout
    assert "2 letters" in table
    assert run(*COMPOSE[:-1], "2026-03-03", "--format", "md", project=campaign).exit_code == 0
    assert [r["id"] for r in rows(campaign)] == [1, 2, 3]
    from .conftest import edit

    edit(campaign / "measures.yaml", "ne miserons pas sur la vidéosurveillance",
         "ne miserons jamais sur la vidéosurveillance")
    stale = run("ledger", "--stale", "--json", project=campaign)  # the texts as sent came back
    assert [(s["id"], s["changes"]) for s in json.loads(stale.stdout)] == [
        (n, ["measure 62 has changed: « pas » became « jamais »"]) for n in (1, 2, 3)]


def _resave(path: Path, delimiter: str, newline: str, bom: bool) -> None:
    """ledger.csv as a spreadsheet saves it again: another separator and line ending, no
    newline at the end, maybe a byte-order mark."""
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator=newline).writerows(table)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + stream.getvalue().rstrip().encode())


@pytest.mark.parametrize(("delimiter", "newline", "bom"), [(";", "\r\n", True),
                                                           (",", "\r\n", False),
                                                           ("\t", "\n", False)])
def test_a_spreadsheet_resave_of_the_csv_glues_no_rows(campaign, delimiter, newline,
                                                       bom) -> None:
    compose_two(campaign)
    export = campaign / "ledger.csv"
    _resave(export, delimiter, newline, bom)
    assert run(*COMPOSE[:-1], "2026-03-03", "--format", "md", project=campaign).exit_code == 0
    table = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"), newline="")))
    assert [line[:3] for line in table] == [["id", "date", "assoc"], ["1", "2026-03-01", "ARPE"],
                                            ["2", "2026-03-02", "ARPE"],
                                            ["3", "2026-03-03", "ARPE"]]
    # and the database rebuilt from such a re-saved copy
    _resave(export, delimiter, newline, bom)
    (campaign / "ledger.sqlite").unlink()
    assert [(r["id"], r["date"]) for r in rows(campaign)] == [
        (1, "2026-03-01"), (2, "2026-03-02"), (3, "2026-03-03")]


def test_an_old_csv_without_the_record_column_still_rebuilds(campaign) -> None:
    compose_two(campaign)
    export = campaign / "ledger.csv"
    table = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"), newline="")))
    stream = io.StringIO()
    csv.writer(stream).writerows(line[:-1] for line in table)
    export.write_text(stream.getvalue(), encoding="utf-8")
    (campaign / "ledger.sqlite").unlink()
    assert [(r["id"], r["measures"]) for r in rows(campaign)] == [
        (1, [11, 17, 61, 62, 65, 81, 89, 95]), (2, [11, 17, 61, 62, 65, 81, 89, 95])]
    assert json.loads(run("ledger", "--stale", "--json", project=campaign).stdout) == []
    refused = run("ledger", "--rebuild", "1", project=campaign)
    assert refused.exit_code == 1
    assert "the ledger does not keep how to compose this letter again" in refused.stderr


def test_a_ledger_made_before_a_column_existed_gets_it(campaign) -> None:
    """A column added to the ledger since (here `request`, removed to stand for one) is
    added to an older ledger, the older letters getting its default."""
    compose_two(campaign)
    with sqlite3.connect(campaign / "ledger.sqlite") as db:
        db.execute("ALTER TABLE letters DROP COLUMN request")
    db.close()
    assert run(*COMPOSE[:-1], "2026-03-03", "--format", "md", project=campaign).exit_code == 0
    assert [r["id"] for r in rows(campaign)] == [1, 2, 3]
    old = run("ledger", "--rebuild", "1", project=campaign)
    assert old.exit_code == 1
    assert "the ledger does not keep how to compose this letter again" in old.stderr
    new = run("ledger", "--rebuild", "3", project=campaign)
    assert new.exit_code == 0, new.output


# --- 3. --rebuild writes only where it is told ---------------------------------------------

def _set_request(project: Path, **changes: object) -> None:
    with sqlite3.connect(project / "ledger.sqlite") as db:
        request = json.loads(db.execute("SELECT request FROM letters WHERE id = 1").fetchone()[0])
        request.update(changes)
        db.execute("UPDATE letters SET request = ? WHERE id = 1", (json.dumps(request),))
    db.close()


@pytest.mark.parametrize("stem", ["../../../echappee", "/tmp/letterkit-echappee",
                                  "..", "a/../../b\x00c"])
def test_a_stored_request_cannot_make_rebuild_write_elsewhere(campaign, tmp_path, stem) -> None:
    compose_two(campaign)
    _set_request(campaign, stem=stem)
    out = tmp_path / "verif" / "a" / "b"
    before = set(tmp_path.rglob("*"))
    result = run("ledger", "--rebuild", "1", "--out", str(out), project=campaign)
    assert result.exit_code == 1  # under another name, so not « identical »
    written = set(tmp_path.rglob("*")) - before - {out, out.parent, out.parent.parent}
    assert [p.parent for p in written] == [out]
    assert next(p.name for p in written).endswith(".md")
    assert not Path("/tmp/letterkit-echappee.md").exists()


def test_rebuild_never_overwrites_without_force_nor_the_letter_as_sent(campaign,
                                                                        tmp_path) -> None:
    from .conftest import edit

    compose_two(campaign)
    first = run("ledger", "--rebuild", "1", "--out", str(tmp_path), project=campaign)
    assert first.exit_code == 0, first.output
    (tmp_path / f"{STEM}.md").write_text("une autre version")
    again = run("ledger", "--rebuild", "1", "--out", str(tmp_path), project=campaign)
    assert again.exit_code == 1
    assert again.stderr == (f"Error: {tmp_path / STEM}.md already exists — choose another "
                            "folder with --out, or pass --force to overwrite it\n")
    assert (tmp_path / f"{STEM}.md").read_text() == "une autre version"
    forced = run("ledger", "--rebuild", "1", "--out", str(tmp_path), "--force",
                 project=campaign)
    assert forced.exit_code == 0, forced.output
    # The data changed since: a rebuild would differ from the letter as sent.
    edit(campaign / "campaign.yaml", "closing: Fraternellement,", "closing: Bien à vous,")
    sent = campaign / "letters" / f"{STEM}.md"
    kept = sent.read_bytes()
    for force, message in (([], "already exists — choose another folder with --out, or pass "
                                "--force to overwrite it"),
                           (["--force"], "is the letter as it was sent — rebuild it into "
                                         "another folder with --out")):
        onto = run("ledger", "--rebuild", "1", "--out", str(campaign / "letters"), *force,
                   project=campaign)
        assert onto.exit_code == 1
        assert onto.stderr == f"Error: {sent} {message}\n"
    assert sent.read_bytes() == kept
    assert len(rows(campaign)) == 2


# --- 4. child processes end with their parent -----------------------------------------------

def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text().split()] if path.exists() else []


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


needs_proc = pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").exists(),
                                reason="needs Linux's /proc")


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP, signal.SIGTERM])
def test_the_pdf_process_ends_with_compose(campaign, sig) -> None:
    parent = letterkit(*COMPOSE, project=campaign, start_new_session=True)
    until(lambda: _children(parent.pid), "the PDF process")
    child = _children(parent.pid)[0]
    parent.send_signal(sig)
    parent.wait(timeout=60)
    until(lambda: _gone(child), f"the PDF process {child} to end")


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGKILL])
def test_a_killed_batch_leaves_no_worker_and_only_whole_letters(campaign, tmp_path,
                                                                sig) -> None:
    requests = tmp_path / "demandes.csv"
    requests.write_text("assoc,themes,date\n" + "\n".join(
        f"ARPE,mediation,2026-02-{d:02d}" for d in range(1, 29)) + "\n")
    parent = letterkit("batch", str(requests), "--jobs", "2", project=campaign,
                       start_new_session=True)
    folder = campaign / "letters"
    until(lambda: folder.is_dir() and any(folder.glob("*.pdf")), "a first letter")
    workers = _children(parent.pid)
    assert workers
    parent.send_signal(sig)
    _, stderr = parent.communicate(timeout=120)
    for worker in workers:
        until(lambda w=worker: _gone(w), f"worker {worker} to end")
    names = letters(campaign)
    stems = {n.rsplit(".", 1)[0] for n in names}
    assert names == sorted(f"{s}.{ext}" for s in stems for ext in ("md", "pdf")), names
    assert not [n for n in os.listdir(folder) if n.startswith(".")]
    recorded = {name.rsplit(".", 1)[0] for r in rows(campaign) for name in r["files"]}  # type: ignore[attr-defined]
    assert recorded == stems
    if sig == signal.SIGHUP:
        assert parent.returncode == 1
        assert f"Interrupted: {28 - len(stems)} requests not done" in stderr


# --- 5. a wrong certificate password --------------------------------------------------------

def test_a_wrong_certificate_password_is_one_line(campaign, tmp_path) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Camille Exemple (test)")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(1)
                   .not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    p12 = tmp_path / "liste.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"t", key, certificate, None, BestAvailableEncryption(b"le bon")))
    wrong = letterkit(*COMPOSE, "--sign", str(p12), "--sign-password-env", "LK_PASSWORD",
                      project=campaign, env={**os.environ, "LK_PASSWORD": "le mauvais"})
    _, stderr = wrong.communicate(timeout=120)
    assert wrong.returncode == 1
    assert stderr == (f"Error: {p12}: cannot open the certificate: wrong password, or not a "
                      "PKCS#12 file — check the password in the variable --sign-password-env "
                      "names\n")
    assert letters(campaign) == []


# --- 6. permissions, long names, Unicode spellings ------------------------------------------

@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_files_follow_the_umask(campaign, umask) -> None:
    assert run(*COMPOSE, project=campaign).exit_code == 0
    for path in [*(campaign / "letters").iterdir(), campaign / "ledger.csv"]:
        assert path.stat().st_mode & 0o777 == 0o640, path


def _long_tags(project: Path) -> list[str]:
    """The program's theme tags made 50 characters long."""
    path = project / "measures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    renamed = {tag: f"{tag}-" + "x" * (49 - len(tag)) for tag in data["themes"]}
    data["themes"] = {renamed[t]: v for t, v in data["themes"].items()}
    for measure in data["measures"]:
        measure["themes"] = [renamed[t] for t in measure["themes"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return list(renamed.values())


def test_many_theme_tags_make_a_capped_unique_name(campaign) -> None:
    tags = _long_tags(campaign)
    names = set()
    for chosen in (tags, tags[:-1]):
        result = run("compose", "--assoc", "ARPE", "--themes", ",".join(chosen), "--date",
                     "2026-03-01", project=campaign)
        assert result.exit_code == 0, result.output
        paths = [Path(line) for line in result.stdout.splitlines()]
        assert [p.suffix for p in paths] == [".md", ".pdf"]
        assert all(p.is_file() and len(p.name.encode()) <= 160 for p in paths)
        names.add(paths[0].stem)
    assert len(names) == 2
    assert all(n.startswith("2026-03-01-arpe-antiracisme-x") for n in names)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_one_association_whatever_its_unicode_spelling(campaign, tmp_path) -> None:
    name = "Vélo Clamart"
    for spelling, date in ((name, "2026-03-01"), (nfd(name), "2026-03-02")):
        result = run("compose", "--assoc", spelling, "--salutation", "Madame", "--themes",
                     "environnement", "--date", date, "--format", "md", project=campaign)
        assert result.exit_code == 0, result.output
    assert [r["assoc"] for r in rows(campaign)] == [name, name]
    for spelling in (name, nfd(name), nfd(name).upper()):
        found = run("ledger", "--json", "--assoc", spelling, project=campaign)
        assert [r["id"] for r in json.loads(found.stdout)] == [1, 2], spelling
    # batch: two spellings of a registered name are one association, so two letters
    requests = tmp_path / "demandes.csv"
    requests.write_text(f"assoc,themes,date\nARPE,numerique,2026-03-05\n"
                        f"{nfd('arpe')},numerique,2026-03-05\n", encoding="utf-8")
    batch = run("batch", str(requests), "--jobs", "1", project=campaign)
    assert batch.exit_code == 0, batch.output
    assert {"2026-03-05-arpe-numerique.pdf", "2026-03-05-arpe-numerique-2.pdf"} <= set(
        letters(campaign))


# --- 7. block markers in one-line fields ----------------------------------------------------

@pytest.mark.parametrize("salutation", ["1. Madame", "- Madame", "+ Madame", "# Madame",
                                        "> Madame", "1) Madame", "---"])
def test_a_one_line_field_never_becomes_a_list_or_a_heading(campaign, tmp_path,
                                                            salutation) -> None:
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--salutation",
                 salutation, "--date", "2026-03-01", "--format", "html", "--out",
                 str(tmp_path), project=campaign)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "2026-03-01-arpe-numerique.html").read_text(encoding="utf-8")
    for tag in ("<ol", "<ul", "<li", "<h1", "<h2", "<blockquote", "<hr"):
        assert tag not in html, tag
    shown = salutation.replace(">", "&gt;")
    assert f"<p>{shown},</p>" in html
