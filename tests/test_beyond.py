"""Signed PDFs, the ledger of commitments, and themes suggested from the plaidoyer.

The certificate is a throwaway, self-signed one made here; the plaidoyer-like texts are written
for the purpose."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letterkit.cli import app

from .conftest import edit

runner = CliRunner()
PASSWORD = "mot de passe de test"


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    return runner.invoke(app, list(args), env=env, input=input)


# --- signing -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, bytes]:
    """A self-signed certificate for « Camille Exemple (test) », as PKCS#12, and its DER."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Camille Exemple (test)")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path_factory.mktemp("cert") / "liste.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"test", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path, cert.public_bytes(serialization.Encoding.DER)


def validate(pdf: bytes, der: bytes):  # type: ignore[no-untyped-def]
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    return validate_pdf_signature(signature, context)


def signed_letter(campaign: Path, certificate, *extra: str) -> bytes:
    path, _ = certificate
    result = run("compose", "--assoc", "ARPE", "--themes", "numerique", "--date",
                 "2026-03-01", "--sign", str(path), "--sign-password-env", "LK_TEST_PASSWORD",
                 "--project", str(campaign), *extra, env={"LK_TEST_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return (campaign / "letters" / "2026-03-01-arpe-numerique.pdf").read_bytes()


def test_a_signed_letter_validates(campaign, certificate) -> None:
    status = validate(signed_letter(campaign, certificate), certificate[1])
    assert status.intact and status.valid and status.trusted
    assert "Camille Exemple (test)" in status.signing_cert.subject.human_friendly


def test_tampering_with_one_byte_breaks_the_signature(campaign, certificate) -> None:
    pdf = bytearray(signed_letter(campaign, certificate))
    where = pdf.index(b"stream\n") + 20  # inside the first page's content, under the signature
    pdf[where] ^= 0x01
    status = validate(bytes(pdf), certificate[1])
    assert not status.intact  # the digest no longer matches: pyHanko reads the file and says so


def test_signing_keeps_pdfa_and_the_scanned_signature_is_independent(campaign, certificate):
    pdf = signed_letter(campaign, certificate, "--pdfa")
    status = validate(pdf, certificate[1])
    assert status.intact and status.valid
    from pypdf import PdfReader

    xmp = PdfReader(BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp


def test_wrong_password_or_unset_variable(campaign, certificate) -> None:
    path, _ = certificate
    args = ["compose", "--assoc", "ARPE", "--themes", "numerique", "--sign", str(path),
            "--project", str(campaign)]
    wrong = run(*args, "--sign-password-env", "LK_TEST_PASSWORD",
                env={"LK_TEST_PASSWORD": "faux"})
    assert wrong.exit_code == 1
    assert wrong.stderr == (f"Error: {path}: cannot open the certificate: wrong password, or "
                            "not a PKCS#12 file — check the password in the variable "
                            "--sign-password-env names\n")
    unset = run(*args, "--sign-password-env", "LK_UNSET_VARIABLE", env={})
    assert unset.stderr == ("Error: the environment variable LK_UNSET_VARIABLE is not set — "
                            "set it to the certificate's password, or leave out "
                            "--sign-password-env to be asked for it\n")
    prompted = run(*args, "--format", "pdf", "--date", "2026-03-01", input=PASSWORD + "\n")
    assert prompted.exit_code == 0, prompted.output
    assert PASSWORD not in prompted.output
    assert not (campaign / "letters" / "2026-03-01-arpe-numerique.md").exists()


def test_a_wrong_password_prints_no_library_traceback(campaign, certificate) -> None:
    """pyHanko logs the failure with its traceback: letterkit's one line is all that shows."""
    completed = subprocess.run(
        [sys.executable, "-m", "letterkit", "compose", "--assoc", "ARPE", "--themes",
         "numerique", "--sign", str(certificate[0]), "--sign-password-env", "LK_TEST_PASSWORD",
         "--format", "md", "--project", str(campaign)],
        env={**os.environ, "LK_TEST_PASSWORD": "faux"}, capture_output=True, text=True)
    assert completed.returncode == 1
    assert completed.stderr == (f"Error: {certificate[0]}: cannot open the certificate: wrong "
                                "password, or not a PKCS#12 file — check the password in the "
                                "variable --sign-password-env names\n")


def test_batch_signs_too(campaign, certificate, tmp_path) -> None:
    requests = tmp_path / "demandes.csv"
    requests.write_text("assoc,themes,date,format\nARPE,numerique,2026-03-01,pdf\n"
                        "ARPE,tranquillite,2026-03-01,pdf\n")
    result = run("batch", str(requests), "--jobs", "2", "--sign", str(certificate[0]),
                 "--sign-password-env", "LK_TEST_PASSWORD", "--project", str(campaign),
                 env={"LK_TEST_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    for pdf in (campaign / "letters").glob("*.pdf"):
        assert validate(pdf.read_bytes(), certificate[1]).intact


# --- the ledger ----------------------------------------------------------------------------

def compose_two(campaign: Path) -> None:
    for themes, date in (("mediation", "2026-03-01"), ("numerique", "2026-03-02")):
        result = run("compose", "--assoc", "ARPE", "--themes", themes, "--date", date,
                     "--project", str(campaign))
        assert result.exit_code == 0, result.output


def test_every_letter_is_recorded(campaign) -> None:
    compose_two(campaign)
    rows = json.loads(run("ledger", "--json", "--project", str(campaign)).stdout)
    assert [(r["id"], r["date"], r["assoc"], r["themes"], r["measures"]) for r in rows] == [
        (1, "2026-03-01", "ARPE", ["mediation"], [11, 17, 61, 62, 65, 81, 89, 95]),
        (2, "2026-03-02", "ARPE", ["numerique"], [89])]
    from letterkit.ledger.entry import sha256

    pdf = campaign / "letters" / "2026-03-01-arpe-mediation.pdf"
    assert rows[0]["files"][pdf.name] == sha256(pdf.read_bytes())
    assert set(rows[0]["measures_sha256"]) == {"11", "17", "61", "62", "65", "81", "89", "95"}
    assert len(rows[0]["templates_sha256"]) == len(rows[0]["data_sha256"]) == 64
    only_62 = json.loads(run("ledger", "--json", "--measure", "62", "--project",
                             str(campaign)).stdout)
    assert [r["id"] for r in only_62] == [1]
    assert json.loads(run("ledger", "--json", "--assoc", "arpe", "--project",
                          str(campaign)).stdout)[1]["id"] == 2
    csv = (campaign / "ledger.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "id,date,assoc,themes,measures,composed,files,sent,record"
    assert csv[1].startswith('1,2026-03-01,ARPE,mediation,"11,17,61,62,65,81,89,95",')


def test_stale_letters_say_how(campaign) -> None:
    compose_two(campaign)
    assert json.loads(run("ledger", "--stale", "--json", "--project", str(campaign)).stdout) == []
    edit(campaign / "measures.yaml", "ne miserons pas sur la vidéosurveillance",
         "ne miserons jamais sur la vidéosurveillance")
    stale = json.loads(run("ledger", "--stale", "--json", "--project", str(campaign)).stdout)
    assert [(s["id"], s["changes"]) for s in stale] == [
        (1, ["measure 62 has changed: « pas » became « jamais »"])]
    table = run("ledger", "--stale", "--project", str(campaign)).stdout
    assert "1 stale letter" in table


def test_a_letter_is_rebuilt_to_identical_bytes_while_its_data_is_unchanged(campaign,
                                                                              tmp_path) -> None:
    compose_two(campaign)
    same = run("ledger", "--rebuild", "1", "--out", str(tmp_path / "a"), "--project",
               str(campaign))
    assert same.exit_code == 0, same.output
    assert same.stdout.count("identical") == 2
    edit(campaign / "campaign.yaml", "closing: Fraternellement,", "closing: Bien à vous,")
    changed = run("ledger", "--rebuild", "1", "--out", str(tmp_path / "b"), "--project",
                  str(campaign))
    assert changed.exit_code == 1
    assert changed.stderr == ("Error: letter 1 no longer comes out the same: "
                              "2026-03-01-arpe-mediation.md, 2026-03-01-arpe-mediation.pdf — "
                              "the data files changed since it was sent\n")
    assert len(json.loads(run("ledger", "--json", "--project", str(campaign)).stdout)) == 2
    as_json = run("ledger", "--rebuild", "1", "--json", "--out", str(tmp_path / "c"),
                  "--project", str(campaign))
    assert json.loads(as_json.stdout) == [
        {"path": str(tmp_path / "c" / f"2026-03-01-arpe-mediation.{ext}"), "identical": False}
        for ext in ("md", "pdf")]


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "/tmp/x"], "--out goes with --rebuild ID"),
    (["--rebuild", "1", "--stale"], "--stale lists letters: --rebuild composes one letter again"),
])
def test_ledger_options_that_would_do_nothing_are_usage_errors(campaign, args, message) -> None:
    result = run("ledger", *args, "--project", str(campaign))
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.replace("│", "").split())


# --- suggestions ---------------------------------------------------------------------------

PLAIDOYER = """Plaidoyer (texte de test)

Les médiateurs et médiatrices de rue font vivre le lien social dans nos quartiers : nous
demandons que leurs postes soient pérennisés. La fracture numérique exclut les personnes les
plus fragiles ; la dématérialisation des démarches doit s'accompagner d'un accueil physique et
d'une médiation numérique de proximité."""


def test_suggest_ranks_mediation_and_numerique_above_environnement(campaign, tmp_path) -> None:
    document = tmp_path / "plaidoyer.md"
    document.write_text(PLAIDOYER, encoding="utf-8")
    result = run("suggest", str(document), "--json", "--project", str(campaign))
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    order = [t["tag"] for t in ranked["themes"]]
    assert order[:2] in (["mediation", "numerique"], ["numerique", "mediation"])
    assert "environnement" not in order or order.index("environnement") > 1
    assert ranked["suggested_themes"][:2] == order[:2]
    assert "médiateurs" in ranked["themes"][order.index("mediation")]["words"]
    assert ranked["measures"][0]["number"] == 89
    assert "fracture" in ranked["measures"][0]["words"]
    table = run("suggest", str(document), "--project", str(campaign)).stdout
    assert "Suggested: letterkit compose --assoc … --themes" in table


def test_suggest_reads_a_pdf(campaign, tmp_path) -> None:
    from weasyprint import HTML

    document = tmp_path / "plaidoyer.pdf"
    HTML(string=f"<p>{PLAIDOYER}</p>").write_pdf(document)
    ranked = json.loads(run("suggest", str(document), "--json", "--project",
                            str(campaign)).stdout)
    assert {t["tag"] for t in ranked["themes"][:2]} == {"mediation", "numerique"}


def test_compose_from_a_document(campaign, tmp_path) -> None:
    document = tmp_path / "plaidoyer.txt"
    document.write_text(PLAIDOYER, encoding="utf-8")
    args = ["compose", "--assoc", "ARPE", "--from", str(document), "--date", "2026-03-01",
            "--format", "md", "--project", str(campaign)]
    refused = run(*args, input="n\n")
    assert refused.exit_code == 1
    assert "Themes suggested by plaidoyer.txt:" in refused.stderr
    assert refused.stderr.endswith("Error: nothing composed — choose the themes with "
                                   "--themes\n")
    assert not (campaign / "letters").exists()
    accepted = run(*args, "--yes")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.strip().endswith("2026-03-01-arpe-mediation-numerique.md")
    both = run("compose", "--assoc", "ARPE", "--from", str(document), "--themes", "numerique",
               "--project", str(campaign))
    assert both.exit_code == 2


def _record_at(root: Path, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from letterkit.ledger.database import Ledger
    from letterkit.ledger.entry import Record
    from letterkit.pipeline.writer import commit

    barrier.wait(timeout=30)  # both processes are here, imports done: they open it together
    try:
        commit({}, ledger=Ledger(root), record=Record(
            date="2026-03-01", assoc="ARPE", themes=["numerique"], measures={89: "texte"},
            request={}))
        results.put("ok")
    except Exception as exc:  # the test fails on it: the parent asserts "ok"
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_the_ledger_at_once_all_record(new_campaign) -> None:
    """Batch workers may create the ledger together: none may fail with « database is locked »."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(8):
        root = new_campaign("clamart", f"round{round_}")
        results = context.Queue()
        barrier = context.Barrier(2)
        workers = [context.Process(target=_record_at, args=(root, barrier, results))
                   for _ in range(2)]
        for worker in workers:
            worker.start()
        assert [results.get(timeout=30) for _ in workers] == ["ok", "ok"]
        for worker in workers:
            worker.join()
        assert len((root / "ledger.csv").read_text().splitlines()) == 3
