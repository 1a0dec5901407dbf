"""JSON Schema of the files a văn thư writes, so that an editor completes and checks keys.

Generated from the pydantic models (`model.Directive`, `forms.model.BieuMau`), whose field
types carry the shape a value has in YAML (`fields`), with a Vietnamese title and
description for every key the user writes (`DOCS`, kept equal to README §3 by a test).
Internal fields the loader fills are left out. Four schemas:

* ``van-ban.schema.json``: a directive (keys the agency file supplies are not required);
* ``co-quan.schema.json``: the agency file ``tetngheo.yaml``;
* ``bieu-mau.schema.json``: a form kept in its own file;
* ``nguoi-nhan.schema.json``: a recipient list written in YAML.

VS Code's YAML extension reads ``# yaml-language-server: $schema=…`` at the top of a file:
``tetngheo khoi-tao`` writes that line and the schema files into a new office folder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

__all__ = ["DOCS", "FILES", "INTERNAL", "modeline", "schemas", "write"]

#: The fields the loader fills itself: never written by the user.
INTERNAL = frozenset({"blocks", "appendix_blocks", "notes", "form_files", "personal_at"})
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: Vietnamese title and description of every key a user writes (README §3 says the same).
DOCS: dict[str, tuple[str, str]] = {
    "phien_ban": ("Phiên bản", "phiên bản định dạng tệp: luôn là 1"),
    "ma": ("Mã văn bản", "mã văn bản trong sổ; mặc định là đường dẫn tệp trong thư mục cơ quan"),
    "he_thong": ("Hệ thống", "dang (Hướng dẫn 36-HD/VPTW) hoặc nha_nuoc (Nghị định 30)"),
    "the_thuc": ("Hồ sơ thể thức", "mặc định hd36 cho Đảng, nd30 cho nhà nước"),
    "loai": ("Loại văn bản", "cong_van, ke_hoach, thong_bao, quyet_dinh…"),
    "co_quan": ("Cơ quan ban hành", "tên cơ quan (ô 2): chu_quan, ten, ten_day_du, viet_tat"),
    "co_quan.chu_quan": ("Cơ quan cấp trên", "một dòng hoặc danh sách dòng; tự in hoa"),
    "co_quan.ten": ("Tên cơ quan", "cơ quan ban hành: một dòng hoặc danh sách dòng"),
    "co_quan.ten_day_du": ("Tên đầy đủ", "tên dùng trong câu chữ, ví dụ Ban Tuyên giáo Tỉnh ủy"),
    "co_quan.viet_tat": ("Chữ viết tắt", "chữ viết tắt của cơ quan trong ký hiệu, ví dụ BTGDUK"),
    "so": ("Số văn bản", "số nguyên; bỏ trống để lấy số từ sổ khi phát hành"),
    "ky_hieu": ("Ký hiệu", "phần sau số; tự sinh nếu bỏ trống"),
    "don_vi_soan_thao": ("Đơn vị soạn thảo", "nhà nước: phần cuối ký hiệu, ví dụ VX"),
    "dia_danh": ("Địa danh", "địa danh (ô 4), ví dụ Thái Nguyên"),
    "ngay": ("Ngày ban hành", "15/01/2024 hoặc 2024-01-15"),
    "trich_yeu": (
        "Trích yếu",
        "trích yếu nội dung (ô 5a, 5b), ghi đúng như muốn in; một dòng hoặc danh sách dòng",
    ),
    "ten_loai": (
        "Tên loại nhiều dòng",
        "khối tên loại (ô 5a) nhiều dòng: dòng đầu là tên loại, ví dụ [Kết luận, của Ban "
        "Thường vụ Tỉnh ủy]",
    ),
    "kinh_gui": ("Kính gửi", "nơi nhận chính (ô 9a): một dòng hoặc danh sách"),
    "tham_quyen": ("Thẩm quyền ban hành", "quyết định: dòng thẩm quyền, in hoa giữa trang"),
    "can_cu": ("Căn cứ", "danh sách các căn cứ; dấu ; và . cuối tự thêm"),
    "noi_dung": ("Nội dung", "nội dung (ô 6): khối |, xem README mục 4"),
    "nguoi_ky": ("Người ký", "quyen_han, chuc_vu, ho_ten; thay toàn bộ người ký của tệp cơ quan"),
    "nguoi_ky.quyen_han": ("Thẩm quyền ký", "KT. Giám đốc, TM. Ủy ban nhân dân; T/M, K/T (Đảng)"),
    "nguoi_ky.chuc_vu": ("Chức vụ", "chức vụ người ký, ví dụ Phó Giám đốc"),
    "nguoi_ky.ho_ten": ("Họ tên", "họ tên người ký, không ghi học hàm, học vị"),
    "nguoi_ky.da_ky": ("Đã ký", "có: in (Đã ký) ở chỗ chữ ký của bản sao"),
    "nguoi_ky_lien_tich": ("Người ký liên tịch", "người ký của cơ quan cùng ban hành"),
    "noi_nhan": ("Nơi nhận", "nơi nhận (ô 9b): danh sách"),
    "noi_nhan_cuoi": ("Dòng cuối nơi nhận", "các dòng luôn thêm cuối nơi nhận, ví dụ Lưu: VT"),
    "phu_luc": (
        "Phụ lục",
        "danh sách {tieu_de, noi_dung, ngang}; thêm loai (ke_hoach, quy_che…) cho văn bản "
        "ban hành kèm theo quyết định",
    ),
    "bieu_mau": ("Biểu mẫu", "danh sách biểu, viết trong tệp hoặc {tep: bieu-mau/x.yaml}"),
    "do_khan": ("Độ khẩn", "Khẩn, Thượng khẩn, Hỏa tốc"),
    "do_mat": ("Độ mật", "Mật, Tối mật, Tuyệt mật"),
    "pham_vi_luu_hanh": ("Phạm vi lưu hành", "ví dụ Lưu hành nội bộ"),
    "du_thao": ("Dự thảo", "dự thảo lần mấy, ví dụ 2"),
    "dia_chi": ("Địa chỉ", "địa chỉ, điện thoại cuối trang 1 (ô 13)"),
    "cap_so": ("Cách cấp số", "chung (một số cho mọi bản) hoặc rieng (mỗi thư một số)"),
    "so_mat": ("Dãy số mật", "có: văn bản mật lấy số ở dãy số riêng (nhà nước)"),
    "nhiem_ky": ("Nhiệm kỳ", "các nhiệm kỳ {ten, tu, den}: số văn bản Đảng chạy theo nhiệm kỳ"),
    "nguoi_thuc_hien": ("Người thực hiện", "tên người lấy số, phát hành; ghi vào sổ"),
    "so_van_ban": ("Sổ văn bản đi", "tệp sổ hoặc postgresql://máy-chủ/csdl của sổ dùng chung"),
    "mau": ("Mẫu riêng", "mẫu Word của cơ quan: một tệp .docx, hoặc {cong_van: mau/cv.docx}"),
}

#: File name of each schema.
FILES = {
    "van_ban": "van-ban.schema.json",
    "co_quan": "co-quan.schema.json",
    "bieu_mau": "bieu-mau.schema.json",
    "nguoi_nhan": "nguoi-nhan.schema.json",
}


def _prune(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop the definitions nothing refers to any more (those of internal fields)."""
    defs = schema.get("$defs", {})
    text = json.dumps({k: v for k, v in schema.items() if k != "$defs"})
    used: set[str] = set()
    frontier = {name for name in defs if f'"#/$defs/{name}"' in text}
    while frontier:
        used |= frontier
        text = json.dumps([defs[n] for n in frontier])
        frontier = {n for n in defs if f'"#/$defs/{n}"' in text} - used
    if used:
        schema["$defs"] = {n: defs[n] for n in sorted(used)}
    else:
        schema.pop("$defs", None)
    return schema


def _yaml_numbers(node: Any) -> Any:
    """``const: "1"`` (a text the loader compares) also as the number an editor sees."""
    if isinstance(node, dict):
        const = node.get("const")
        if isinstance(const, str) and const.isdigit():
            node.pop("const")
            node.pop("type", None)
            node["enum"] = [int(const), const]
        for value in node.values():
            _yaml_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _yaml_numbers(value)
    return node


def _document(props: dict[str, Any], prefix: str = "") -> None:
    for key, value in props.items():
        doc = DOCS.get(f"{prefix}{key}")
        if doc is not None:
            value["title"], value["description"] = doc


def _directive() -> dict[str, Any]:
    from tetngheo_docs.model import AGENCY_KEYS, Directive

    schema = copy.deepcopy(Directive.model_json_schema(mode="validation"))
    for name in INTERNAL:
        schema["properties"].pop(name, None)
    schema["required"] = [k for k in schema.get("required", []) if k not in AGENCY_KEYS]
    defs = schema.get("$defs", {})
    for model, prefix in (("CoQuan", "co_quan."), ("NguoiKy", "nguoi_ky.")):
        if model in defs:
            _document(defs[model]["properties"], prefix)
    # co_quan merges field by field with the agency file's: no part of it is required in
    # either file (nguoi_ky replaces the agency's whole, so its own fields stay required).
    defs.get("CoQuan", {}).pop("required", None)
    for definition in defs.values():
        definition.pop("description", None)  # the models' docstrings are for developers
    # A form may also be kept in its own file: {tep: bieu-mau/x.yaml}.
    form_items = schema["properties"]["bieu_mau"].get("items")
    schema["properties"]["bieu_mau"]["items"] = {
        "anyOf": [
            form_items,
            {
                "type": "object",
                "properties": {"tep": {"type": "string", "description": "tệp biểu mẫu"}},
                "required": ["tep"],
                "additionalProperties": False,
            },
        ]
    }
    _document(schema["properties"])
    return _prune(schema)


def _agency(directive: dict[str, Any]) -> dict[str, Any]:
    from tetngheo_docs.model import AGENCY_KEYS

    schema = copy.deepcopy(directive)
    schema["properties"] = {k: v for k, v in schema["properties"].items() if k in AGENCY_KEYS}
    schema["required"] = []
    schema["title"] = "Tệp cơ quan tetngheo.yaml"
    return _prune(schema)


def _form() -> dict[str, Any]:
    from tetngheo_docs.forms.model import BieuMau

    schema = copy.deepcopy(BieuMau.model_json_schema(mode="validation"))
    schema["title"] = "Biểu mẫu"
    schema.pop("description", None)
    for definition in schema.get("$defs", {}).values():
        definition.pop("description", None)
    return _prune(schema)


def _recipients() -> dict[str, Any]:
    row = {
        "anyOf": [
            {"type": "string", "description": "tên đơn vị nhận"},
            {
                "type": "object",
                "properties": {
                    "ten": {"type": "string", "title": "Tên đơn vị nhận"},
                    "ma": {"type": "string", "title": "Mã đơn vị (ổn định)"},
                },
                "required": ["ten"],
                "additionalProperties": {"type": ["string", "number", "boolean"]},
            },
        ]
    }
    return {
        "title": "Danh sách nơi nhận",
        "type": "object",
        "properties": {
            "nguoi_nhan": {
                "type": "array",
                "items": row,
                "title": "Nơi nhận",
                "description": "mỗi mục một đơn vị: tên, hoặc {ten, ma, các cột ${…} dùng}",
            }
        },
        "required": ["nguoi_nhan"],
        "additionalProperties": False,
    }


def schemas() -> dict[str, dict[str, Any]]:
    """The four schemas by name (`FILES`), each a JSON Schema 2020-12 document."""
    directive = _directive()
    directive["title"] = "Văn bản tetngheo"
    out = {
        "van_ban": directive,
        "co_quan": _agency(directive),
        "bieu_mau": _form(),
        "nguoi_nhan": _recipients(),
    }
    for name, schema in out.items():
        _yaml_numbers(schema)
        schema["$schema"] = _DRAFT
        schema["$id"] = f"https://tetngheo.invalid/schema/{FILES[name]}"
    return out


def write(folder: Path) -> list[Path]:
    """Write the four schema files into ``folder`` (atomically); returns their paths."""
    from tetngheo_docs.outputs import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / FILES[name]
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written


def modeline(schema_file: str) -> str:
    """The first line that makes VS Code's YAML extension use a schema."""
    return f"# yaml-language-server: $schema={schema_file}\n"
