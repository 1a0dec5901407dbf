"""`tetngheo init`: a new office folder with an agency file and one commented example."""

from __future__ import annotations

from pathlib import Path

from tetngheo_docs.api import AGENCY_FILE
from tetngheo_docs.errors import TetngheoError
from tetngheo_docs.outputs import atomic_write

EXAMPLE_NAME = "cong-van-mau.yaml"

_AGENCY = {
    "dang": """\
# Tệp cơ quan (tetngheo.yaml): những gì mọi văn bản của cơ quan đều lặp lại.
# Văn bản trong thư mục này (và thư mục con) tự dùng tệp này; văn bản có thể ghi đè từng mục.
phien_ban: 1
he_thong: dang              # dang = văn bản của Đảng (HD36); nha_nuoc = hành chính (ND30)
co_quan:
  chu_quan:                 # cơ quan cấp trên; mỗi mục là một dòng in ra (tự in hoa)
    - Đảng bộ tỉnh Thái Nguyên
  ten: Ban Tuyên giáo       # cơ quan ban hành (in hoa, đậm)
  ten_day_du: Ban Tuyên giáo Tỉnh ủy
  viet_tat: BTGTU           # ký hiệu: Số 12-CV/BTGTU
dia_danh: Thái Nguyên
nguoi_ky:                   # người ký mặc định
  quyen_han: K/T Trưởng ban  # bỏ dòng này nếu người đứng đầu ký trực tiếp
  chuc_vu: Phó Trưởng ban
  ho_ten: Nguyễn Văn A
noi_nhan_cuoi:              # luôn thêm vào cuối "Nơi nhận"
  - Lưu Văn phòng
""",
    "nha_nuoc": """\
# Tệp cơ quan (tetngheo.yaml): những gì mọi văn bản của cơ quan đều lặp lại.
# Văn bản trong thư mục này (và thư mục con) tự dùng tệp này; văn bản có thể ghi đè từng mục.
phien_ban: 1
he_thong: nha_nuoc          # nha_nuoc = văn bản hành chính (ND30); dang = văn bản Đảng (HD36)
co_quan:
  chu_quan: UBND tỉnh Thái Nguyên   # cơ quan chủ quản (tự in hoa)
  ten: Sở Nội vụ            # cơ quan ban hành (in hoa, đậm)
  ten_day_du: Sở Nội vụ tỉnh Thái Nguyên
  viet_tat: SNV             # ký hiệu công văn: Số: 12/SNV-VP
dia_danh: Thái Nguyên
don_vi_soan_thao: VP        # đơn vị soạn thảo mặc định (phần sau dấu '-' của ký hiệu)
nguoi_ky:
  quyen_han: KT. Giám đốc   # bỏ dòng này nếu Giám đốc ký trực tiếp
  chuc_vu: Phó Giám đốc
  ho_ten: Nguyễn Văn A
noi_nhan_cuoi:
  - "Lưu: VT, VP"           # có dấu ': ' nên phải đặt trong ngoặc kép
""",
}

_EXAMPLE = """\
# Một công văn. Chạy: tetngheo render {name}
# Ngày: 15/01/2024 hoặc 2024-01-15. Số: bỏ trống nếu chưa lấy số.
phien_ban: 1
loai: cong_van
so: 12
ngay: 15/01/2024
trich_yeu: V/v triển khai nhiệm vụ tuyên truyền tháng 01/2024
kinh_gui:                   # một hoặc nhiều nơi; dấu ',' ';' '.' cuối dòng tự thêm đúng thể thức
  - Các cơ quan, đơn vị trực thuộc
  - Các đồng chí báo cáo viên
noi_dung: |
  Đoạn văn cách nhau một dòng trống; xuống dòng trong một đoạn chỉ để dễ đọc.
  Viết **đậm** hoặc *nghiêng* khi cần; dấu ngoặc kép “như thế này” giữ nguyên.

  **1. Nhiệm vụ thứ nhất**

  - Gạch đầu dòng, đánh số 1., 1.1., a) đều gõ tay như trong Word.

  Dấu kết thúc "./." được tự thêm vào cuối nội dung nếu chưa có.
noi_nhan:                   # "Như trên" đứng đầu; dòng "Lưu" lấy từ tetngheo.yaml
  - Như trên
"""


#: Where `init` puts the JSON Schemas of the office's files.
SCHEMA_FOLDER = "luoc-do"


def init(folder: Path, system: str) -> list[Path]:
    """Create the agency file and the example; refuses to overwrite existing files."""
    agency = folder / AGENCY_FILE
    example = folder / EXAMPLE_NAME
    existing = [p for p in (agency, example) if p.exists()]
    if existing:
        raise TetngheoError(
            f"{existing[0]} đã có; không ghi đè. Hãy chọn thư mục khác hoặc xóa tệp đó."
        )
    from tetngheo_docs import schema

    # Schemas beside the files, named on their first line: VS Code's YAML extension then
    # completes and checks every key as it is typed.
    written = schema.write(folder / SCHEMA_FOLDER)
    folder_name = f"{SCHEMA_FOLDER}/"
    agency_line = schema.modeline(folder_name + schema.FILES["co_quan"])
    example_line = schema.modeline(folder_name + schema.FILES["van_ban"])
    atomic_write(agency, (agency_line + _AGENCY[system]).encode())
    atomic_write(example, (example_line + _EXAMPLE.format(name=example)).encode())
    return [agency, example, *written]
