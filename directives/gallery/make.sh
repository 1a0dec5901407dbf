#!/usr/bin/env bash
# Gallery of the worked examples: page 1 of every directive under directives/, as a PNG.
#
#   directives/gallery/make.sh
#
# Renders each directive (every *.yaml with a top-level `noi_dung:` key, so not the agency files
# tetngheo.yaml, form specs such as bieu-mau/*.yaml, or anything under an out/ folder) with
# `tetngheo render`, converts the .docx to PDF with LibreOffice (headless, with a private profile
# so that a running soffice is not disturbed), and writes page 1 at 60 dpi as
# directives/gallery/<office>--<stem>.png (about 90–140 KB each; a warning above 150 KB).
# <office> is the folder under directives/ (nested folders joined with "-"). Nothing in the
# gallery is replaced unless every document renders.
#
# Needs: tetngheo (or python3 -m tetngheo_docs), soffice, pdftoppm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
directives="$(dirname "$here")"
dpi=60
# Pages after the first that the README shows, as <office>--<stem>:<page>; each becomes
# <office>--<stem>-trang-<page>.png. PNGs this script does not make (the SAO Y copy, made
# from an issued letter; the screenshot of `xem-truc-tiep`) are left alone.
extra_pages=(
  "bo-gddt--cv-bao-cao-xoa-mu-chu-2024:2"
  "bo-gddt--cv-bao-cao-xoa-mu-chu-2024:3"
  "so-ldtbxh-kon-tum--cv-2150-ra-soat-ho-ngheo-2024:3"
  "ubnd-tinh-kon-tum--qd-ban-hanh-kh-tuan-cao-diem-2024:2"
)

if command -v tetngheo >/dev/null 2>&1; then
  tetngheo=(tetngheo)
else
  tetngheo=(python3 -m tetngheo_docs)
fi
for tool in soffice pdftoppm; do  # used by tetngheo preview
  command -v "$tool" >/dev/null 2>&1 || { echo "make.sh: cần '$tool'" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/tetngheo-gallery.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mapfile -t files < <(
  cd "$directives" &&
    find . -name '*.yaml' ! -name 'tetngheo.yaml' ! -path '*/out/*' ! -path './gallery/*' |
    sed 's|^\./||' | LC_ALL=C sort |
    while IFS= read -r f; do
      if grep -q '^noi_dung:' "$f" && ! grep -q '${' "$f"; then
        printf '%s\n' "$f"
      else
        echo "make.sh: bỏ qua $f (không phải văn bản: không có 'noi_dung:')" >&2
      fi
    done
)
if [ "${#files[@]}" -eq 0 ]; then
  echo "make.sh: không có văn bản nào trong $directives" >&2
  exit 1
fi

names=()
docs=()
for rel in "${files[@]}"; do
  office="$(dirname "$rel" | tr '/' '-')"
  stem="$(basename "$rel" .yaml)"
  name="${office}--${stem}"
  mkdir -p "$work/docx/$name"
  "${tetngheo[@]}" render "$directives/$rel" --out "$work/docx/$name" >/dev/null
  docx="$work/docx/$name/$stem.docx"
  [ -f "$docx" ] || { echo "make.sh: không thấy $docx" >&2; exit 1; }
  cp "$docx" "$work/docx/$name.docx"
  names+=("$name")
  docs+=("$work/docx/$name.docx")
done

mkdir -p "$work/png"
for name in "${names[@]}"; do
  # Page 1 through `tetngheo preview` (LibreOffice + pdftoppm), as a văn thư would look.
  "${tetngheo[@]}" preview "$work/docx/$name.docx" --trang 1 --dpi "$dpi" \
    --out "$work/png" >/dev/null
  made=("$work/png/$name"-*.png)
  [ -f "${made[0]}" ] || { echo "make.sh: không tạo được ảnh của $name.docx" >&2; exit 1; }
  mv "${made[0]}" "$work/png/$name.png"
done
for extra in "${extra_pages[@]}"; do
  name="${extra%:*}"
  page="${extra##*:}"
  one="$work/extra/$name-$page"
  mkdir -p "$one"
  "${tetngheo[@]}" preview "$work/docx/$name.docx" --trang "$page" --dpi "$dpi" \
    --out "$one" >/dev/null
  made=("$one"/*.png)
  [ -f "${made[0]}" ] || { echo "make.sh: không tạo được trang $page của $name" >&2; exit 1; }
  mv "${made[0]}" "$work/png/$name-trang-$page.png"
done

# Every document rendered: replace the PNGs this script makes with the new set.
for name in "${names[@]}"; do
  rm -f "$here/$name.png" "$here/$name"-trang-*.png
done
cp "$work/png/"*.png "$here/"
for name in "${names[@]}"; do
  size=$(stat -c %s "$here/$name.png")
  printf '%-70s %6d KB\n' "gallery/$name.png" $((size / 1024))
  if [ "$size" -gt $((150 * 1024)) ]; then
    echo "make.sh: cảnh báo: gallery/$name.png lớn hơn 150 KB" >&2
  fi
done
