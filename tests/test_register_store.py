"""Where the register lives: a file or a PostgreSQL server, named the same way everywhere
(`--so-van-ban-di`, the agency file, the environment), and an office moving its register
from one to the other — walked as an office would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clirun import has_traceback, run_cli
from tests.conftest import office_copy
from tetngheo_docs.register import DEFAULT_FILE, Register, Scope
from tetngheo_docs.register_store import ENV, is_url, resolve, safe_url

PARTY = Scope.dang("BTGDUK", "CV", "2020-2025")


def test_urls_never_show_their_password() -> None:
    assert safe_url("postgresql://lan:bi-mat@may-chu:5432/so?sslmode=require") == (
        "postgresql://lan@may-chu:5432/so?sslmode=require"
    )
    assert safe_url("postgresql:///so?host=/run/pg") == "postgresql:///so?host=/run/pg"
    assert is_url("postgres://x/y") and is_url(" POSTGRESQL://x/y") and not is_url("so.sqlite3")


def test_which_register_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    agency = tmp_path / "co-quan" / "tetngheo.yaml"
    monkeypatch.delenv(ENV, raising=False)
    assert resolve(None, agency_file=agency) == agency.parent / DEFAULT_FILE
    monkeypatch.setenv(ENV, "postgresql://may-chu/so")
    assert resolve(None, agency_file=agency) == "postgresql://may-chu/so"
    # The agency file wins over the environment; a relative path is the agency folder's.
    assert resolve(None, agency_file=agency, agency_value="chung/so.sqlite3") == (
        agency.parent / "chung" / "so.sqlite3"
    )
    assert resolve("postgresql://khac/so", agency_file=agency, agency_value="x") == (
        "postgresql://khac/so"
    )


def _run(*args: str | Path) -> tuple[int, str]:
    result = run_cli(*args)
    assert not has_traceback(result), result.output
    return result.exit_code, result.stdout + result.stderr


def test_a_password_on_the_command_line_is_refused(tmp_path: Path) -> None:
    code, out = _run("so-van-ban-di", "danh-sach", "--so-van-ban-di", "postgresql://u:p@h/db")
    assert code == 2 and "không ghi mật khẩu" in out and "u:p" not in out


def test_an_office_moves_its_register_to_the_server(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ["ten;han_nop;so_nguoi"] + [f"Chi bộ số {i};30/01/2024;1" for i in range(1, 4)]
    office = office_copy(tmp_path, rows)
    monkeypatch.chdir(office)
    code, out = _run("phat-hanh", "chung.yaml", "--nguoi-nhan", "ds.csv", "--phat-hanh")
    assert code == 0 and "số 01-CV/BTGDUK" in out
    code, out = _run("so-van-ban-di", "chuyen", "--den", pg_url)
    assert code == 0, out
    assert "Sổ nguồn: 1 số, 0 khai báo bắt đầu, 2 dòng nhật ký" in out
    assert "Hai bên khớp từng dòng" in out
    # From now on the agency file names the server: every clerk numbers from it.
    agency = office / "tetngheo.yaml"
    agency.write_text(
        agency.read_text(encoding="utf-8") + f'so_van_ban: "{pg_url}"\n', encoding="utf-8"
    )
    code, out = _run("phat-hanh", "rieng.yaml", "--nguoi-nhan", "ds.csv")
    assert code == 0 and "số 02 đến 04" in out  # the same series: after the copied 01
    assert "trường riêng" not in out  # no "use issue" hint while issuing
    text = (office / "chung.yaml").read_text(encoding="utf-8").replace("V/v", "V/v nhắc lại")
    (office / "lan-2.yaml").write_text(text, encoding="utf-8")
    code, out = _run("phat-hanh", "lan-2.yaml", "--nguoi-nhan", "ds.csv")
    assert code == 0 and "số 05-CV/BTGDUK" in out
    with Register(pg_url) as reg:
        assert [e.number for e in reg.list(series="CV")] == [1, 2, 3, 4, 5]
    # The file register was left as it was; a second copy is refused.
    with Register(office / DEFAULT_FILE) as reg:
        assert [e.number for e in reg.list()] == [1]
    code, out = _run("so-van-ban-di", "chuyen", "--tu", office / DEFAULT_FILE, "--den", pg_url)
    assert code == 1 and "không chép đè" in out
    assert (office / "lich-su-ban-hanh.jsonl").is_file()  # the history stays with the office


def test_the_least_privilege_clerk_role_of_the_readme_works(pg_url: str) -> None:
    """The GRANTs README §8b gives a clerk's account: enough to number, issue, void and
    declare a start; not enough to delete a number."""
    import re
    import uuid

    import psycopg

    from tetngheo_docs.errors import RegisterError

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    grants = [g for g in re.findall(r"^\s*(GRANT [^;]+);", readme, re.MULTILINE)]
    assert len(grants) == 6
    Register(pg_url).close()  # tables made by the administrator's account
    schema = re.search(r"search_path%3D(\w+)", pg_url)
    assert schema is not None
    role = f"van_thu_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        try:
            for grant in grants:
                sql = " ".join(grant.split()).replace("van_thu", role)
                conn.execute(
                    sql.replace("SCHEMA public", f"SCHEMA {schema[1]}").replace(
                        "IN SCHEMA public", f"IN SCHEMA {schema[1]}"
                    )
                )
            clerk = pg_url.replace("postgresql://postgres@", f"postgresql://{role}@")
            state = Scope.nha_nuoc("UBND", 2024)
            with Register(clerk, actor="Lan") as reg:
                reg.declare_start(state, 10)
                entry = reg.reserve(state, "a", subject="Công văn")
                reg.issue(entry.id, file="a.docx", sha256="a" * 64)
                reg.reserve(state, "b")
                reg.void(state, 12, "Nhầm")
                assert [e.number for e in reg.list()] == [11, 12]
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    reg.conn.execute("DELETE FROM entries")
                with pytest.raises(RegisterError, match="không có quyền"), reg.conn.errors():
                    reg.conn.execute("ALTER TABLE entries ADD COLUMN x int")
        finally:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
