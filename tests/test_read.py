"""Reading: every input kind, and bad input that becomes an error record instead of stopping the batch."""
import json
import shutil

from coopwatch.cli import main
from coopwatch.read import read_paths

from .conftest import FIXTURES


def run_extract(tmp_path, *paths):
    out = tmp_path / "out.jsonl"
    status = main(["extract", *map(str, paths), "-o", str(out), "--quiet"])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return status, {r["id"]: r for r in records}


def test_reads_text_html_and_jsonl_with_their_metadata():
    articles = {a.id: a for a in read_paths([FIXTURES])}
    assert {"power-of-siberia", "tianwan", "crawl-en-1", "crawl-ru-1", "crawl-fr-1"} <= set(articles)
    html = articles["tianwan"]
    assert html.title == "China, Russia break ground on four nuclear power units"
    assert html.url == "https://energywire.example.org/2021/05/20/tianwan-xudapu"
    assert html.outlet == "Energy Wire"
    assert html.published.startswith("2021-05-20")
    assert "Related stories" not in html.text and "cookies" not in html.text
    record = articles["crawl-en-1"]
    assert (record.outlet, record.published, record.url) == ("Example News", "2021-03-10", "https://news.example.org/ilrs")


def test_bad_inputs_are_reported_and_the_rest_is_extracted(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "power-of-siberia.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (folder / "latin1.txt").write_bytes("Gazprom a sign\u00e9 un contrat avec CNPC.".encode("latin-1"))
    (folder / "huge.txt").write_bytes(b"China and Russia signed a deal. " * 650_000)  # about 20 MB
    good = json.dumps({"id": "ok-1", "text": "Rosatom and CNNC signed a contract on Tuesday."})
    (folder / "mixed.jsonl").write_text(good + "\n{broken json\n" + good.replace("ok-1", "ok-2") + "\n",
                                        encoding="utf-8")
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"PK\x03\x04")
    missing = tmp_path / "nowhere.txt"

    status, records = run_extract(tmp_path, folder, unknown, missing)

    assert status == 1
    assert "text" in records["good"] and records["good"]["events"]
    assert "text" in records["ok-1"] and "text" in records["ok-2"]
    assert records["empty"]["error"] == "empty file"
    assert "binary" in records["binary"]["error"]
    assert "not valid UTF-8" in records["latin1"]["error"]
    assert "over the" in records["huge"]["error"] and "limit" in records["huge"]["error"]
    assert "not JSON" in records["mixed:2"]["error"]
    assert "unknown file type '.docx'" in records["notes"]["error"]
    assert records["nowhere"]["error"] == "no such file or folder"
    stderr = capsys.readouterr().err
    for name in ("empty", "binary", "latin1", "huge", "mixed:2", "notes", "nowhere"):
        assert f"coopwatch: {name} (" in stderr


def test_a_clean_batch_exits_zero(tmp_path):
    status, records = run_extract(tmp_path, FIXTURES / "power-of-siberia.txt")
    assert status == 0 and list(records) == ["power-of-siberia"]


def test_jsonl_record_without_text_is_an_error(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"id": "x1", "title": "no body"}) + "\n" + json.dumps({"text": "no id"}) + "\n")
    status, records = run_extract(tmp_path, path)
    assert status == 1
    assert records["x1"]["error"] == "record has no 'text'"
    assert records["crawl:2"]["error"] == "record has no 'id'"


def test_jsonl_is_read_line_by_line(tmp_path):
    """A crawl file is streamed: a line that is not UTF-8 is that line's error, a line separator inside a JSON
    string (valid JSON) does not split its article, and a byte-order mark or a blank line changes nothing."""
    path = tmp_path / "crawl.jsonl"
    first = json.dumps({"id": "a1", "text": "Rosatom and CNNC signed a contract.\u2028Second line."}, ensure_ascii=False)
    third = json.dumps({"id": "a3", "text": "Gazprom and CNPC agreed on supplies."})
    path.write_bytes(b"\xef\xbb\xbf" + first.encode("utf-8") + b"\n\n"
                     + b'{"id": "a2", "text": "caf\xe9"}\n' + third.encode("utf-8") + b"\r\n")
    read = {item.id: item for item in read_paths([path])}
    assert list(read) == ["a1", "crawl:3", "a3"]
    assert read["a1"].text == "Rosatom and CNNC signed a contract.\u2028Second line."
    assert read["crawl:3"].error.startswith("not valid UTF-8: byte 0xe9")
    assert read["a3"].text == "Gazprom and CNPC agreed on supplies."
    (tmp_path / "blank.jsonl").write_bytes(b"\n\n")
    assert [item.error for item in read_paths([tmp_path / "blank.jsonl"])] == ["empty file"]
