"""``tetngheo lint``: check any .docx (ours or hand-made) against the profile of its system.

`effective` reads the zip parts with lxml and resolves each run's effective formatting
(run → character style → paragraph style → table style → docDefaults, basedOn chains,
toggles); `checks` finds the components (by our style ids, else by text) and judges page,
fonts, sizes, number, date, Kính gửi, Nơi nhận, page numbering, auto-numbering, leftover
template tags and NFC against the format profile; `report` prints the result.

Check ids (``<Comp>`` is a component style of the profile, e.g. ``QuocHieu``, ``NoiDung``):

=========================  ===============================================================
``he_thong``               system detected (or given) and the profile used
``thanh_phan``             the components every document of the system shows are there
``trang.kho_giay``         A4 in every section (w:pgSz)
``trang.huong``            first section portrait; later ones may be landscape (forms)
``le.tren/duoi/trai/phai`` margins inside the profile's ``margin_ranges``
``so_trang``               PAGE field in the default header, Arabic numerals
``so_trang.trang_dau``     no number on page 1 (w:titlePg, first header without PAGE)
``phong_chu``              Times New Roman (Liberation Serif, theme fonts: WARN)
``co_chu.<Comp>``          effective size within the style's range
``kieu_chu.<Comp>``        effective bold/italic/underline (body: judged as a whole)
``chu_hoa.<Comp>``         caps styles typed in capitals
``can_le.<Comp>``          alignment of the style
``co_chu.dong_bo``         State: Quốc hiệu / Tiêu ngữ / date sizes rise and fall together
``loai_van_ban``           document type (công văn or the type named), for the rules below
``so_ky_hieu``             number grammar (colon, leading zero, symbol) per system
``ngay_thang``             "<place>, ngày DD tháng M năm YYYY" with the padding rules
``kinh_gui``               Kính gửi as the type requires, with a colon
``kinh_gui.dau_cau``       item punctuation (State ``;``/``.``, Party ``,``/``.``)
``noi_dung.ket_thuc``      the body ends with the profile's ending (``./.``)
``noi_nhan``               the "Nơi nhận:" label
``noi_nhan.dau_cau``       item punctuation
``noi_nhan.nhu_tren``      first item "Như trên" when there is a Kính gửi
``noi_nhan.luu``           last item is the archive line ("Lưu: …" / "Lưu …")
``ky.tien_to``             signing prefixes of the system (TM./KT. vs T/M, K/T)
``danh_so_tu_dong``        no Word auto-numbering (w:numPr in paragraphs or used styles)
``the_mau``                no leftover ``{{ }}`` / ``{% %}``
``nfc``                    all text in Unicode NFC
=========================  ===============================================================
"""

from __future__ import annotations

from tetngheo_docs.lint.checks import (
    Check,
    LintError,
    LintResult,
    Status,
    lint_bytes,
    lint_docx,
    lint_file,
)
from tetngheo_docs.lint.effective import DocxReadError

__all__ = [
    "Check",
    "DocxReadError",
    "LintError",
    "LintResult",
    "Status",
    "lint_bytes",
    "lint_docx",
    "lint_file",
]
