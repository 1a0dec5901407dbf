"""`tetngheo new dinh-chinh`: the công văn that corrects an issued document [ND30 Đ18].

An issued document is never edited: a mistake is corrected by a new công văn (đính chính)
that cites the original by its number, date and issuer, with its own number from the
register. This drafts it from the original directive, marked for review.
"""

from __future__ import annotations

from pathlib import Path

from tetngheo_docs import api, context
from tetngheo_docs.errors import TetngheoError
from tetngheo_docs.outputs import atomic_write
from tetngheo_docs.vn import dates

_TEMPLATE = """\
# Công văn đính chính {loai} số {so_ky_hieu} (bản nháp do `tetngheo new dinh-chinh` tạo).
# Văn bản đã phát hành không sửa trực tiếp: theo Nghị định 30/2020/NĐ-CP, sai sót được đính
# chính bằng công văn này (số mới lấy từ sổ khi phát hành) hoặc thay thế bằng văn bản khác.
# XEM LẠI: ghi đúng chỗ sai và nội dung đúng, rồi: tetngheo issue {ten_tep} --nguoi-nhan …
phien_ban: 1
loai: cong_van
ngay: {ngay}                      # XEM LẠI: ngày ký công văn đính chính
trich_yeu: V/v đính chính {loai} số {so_ky_hieu}
kinh_gui:{kinh_gui}
noi_dung: |
  Ngày {ngay_goc}, {co_quan} ban hành {loai} số {so_ky_hieu} {trich_yeu_goc}.

  Do sơ suất trong quá trình soạn thảo, {loai} trên có sai sót. {co_quan} xin đính
  chính như sau:

  - Tại …, đã ghi: “…”; nay sửa lại là: “…”.

  Các nội dung khác của {loai} số {so_ky_hieu} giữ nguyên giá trị. {co_quan} thông báo để
  các cơ quan, đơn vị biết, thực hiện.
noi_nhan:
  - Như trên
"""


def scaffold(original: Path, out: Path | None = None) -> Path:
    """Write the correcting công văn next to the original; never overwrites."""
    loaded = api.load(original)
    d = loaded.directive
    if d.so is None:
        raise TetngheoError(
            f"{original}: văn bản chưa có số (chưa phát hành); sửa trực tiếp văn bản này, "
            "không cần đính chính"
        )
    doc_type = loaded.profile.doc_type(d.loai)
    number = context.so_ky_hieu(d, loaded.profile).removeprefix("Số:").removeprefix("Số").strip()
    agency = d.co_quan.ten_day_du or " ".join(d.co_quan.ten)
    subject = d.trich_yeu.removeprefix("V/v ").strip()
    target = out or original.with_name(f"{original.stem}-dinh-chinh.yaml")
    if target.exists():
        raise TetngheoError(f"{target} đã có; không ghi đè")
    recipients = list(d.kinh_gui) or ["Các cơ quan, đơn vị đã nhận văn bản"]
    text = _TEMPLATE.format(
        loai=(doc_type.name or "Công văn").capitalize(),
        so_ky_hieu=number,
        ten_tep=target.name,
        ngay=dates.dd_mm_yyyy(d.ngay),
        ngay_goc=dates.dd_mm_yyyy(d.ngay),
        co_quan=agency,
        trich_yeu_goc=("về " + subject) if not subject.lower().startswith("về") else subject,
        kinh_gui="".join(f"\n  - {r}" for r in recipients),
    )
    atomic_write(target, text.encode("utf-8"))
    return target
