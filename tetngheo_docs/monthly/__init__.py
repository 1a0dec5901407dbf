"""Monthly propaganda directives (công văn tuyên truyền hằng tháng).

* `calendar` — the anniversary calendar shipped as data (``data/ngay_ky_niem.yaml``) plus an
  office's own ``ngay-ky-niem.yaml``; for a month, the anniversaries with "N năm" and
  "(dd/m/yyyy – dd/m/yyyy)", round ones flagged;
* `amlich` — the Vietnamese lunar calendar, for commemorations kept on a lunar date;
* `new` — ``tetngheo new thang 2024-03``: the month's directive drafted, recurring tasks
  carried forward from last month's (``--tu``), each part marked for review;
* `cli` — the ``new`` command group.
"""

from __future__ import annotations
