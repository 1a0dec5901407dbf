// The directive page: live pages over server-sent events, problems, buttons, saving.
// Plain browser JavaScript (no build step); the editor itself is editor.js (CodeMirror).
(function () {
  "use strict";
  const root = document.getElementById("app");
  if (!root) return;
  const tep = root.dataset.tep;
  const token = document.querySelector('meta[name="tetngheo-token"]').content;
  const status = document.getElementById("trang-thai");
  const textarea = document.getElementById("yaml");
  const pages = document.getElementById("trang");
  const note = document.getElementById("ghi-chu");
  const problemList = document.getElementById("van-de");
  let base = null; // hash of the text on disk the editor holds
  let dirty = false;
  let editor = null;

  function say(text, bad) {
    status.textContent = text;
    status.className = bad ? "bad" : "";
  }

  // ------------------------------------------------------------------ editor
  function getText() { return editor ? editor.getText() : textarea.value; }
  function setText(text) {
    if (editor) editor.setText(text); else textarea.value = text;
    dirty = false;
  }
  function gotoLine(line, col) {
    if (editor) { editor.gotoLine(line, col || 1); return; }
    const lines = textarea.value.split("\n");
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    textarea.focus();
    textarea.setSelectionRange(at, at + (lines[line - 1] || "").length);
  }
  if (window.TetngheoEditor) {
    editor = window.TetngheoEditor.create(document.getElementById("editor"), textarea.value, {
      onChange: function () { dirty = true; },
      onSave: function () { save(); },
    });
    textarea.remove();
    fetch("/luoc-do.json").then(function (r) { return r.json(); })
      .then(function (schema) { editor.setSchema(schema); });
  } else {
    textarea.addEventListener("input", function () { dirty = true; });
    textarea.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
    });
  }

  // ------------------------------------------------------------------ view
  function showProblems(list) {
    problemList.replaceChildren();
    if (!list || !list.length) {
      const li = document.createElement("li");
      li.className = "hint";
      li.textContent = "Không có lỗi hay cảnh báo.";
      problemList.append(li);
      return;
    }
    for (const p of list) {
      const li = document.createElement("li");
      li.className = p.loi ? "loi" : "canh-bao";
      const where = p.dong ? "Dòng " + p.dong + ": " : (p.tep ? p.tep + ": " : "");
      const path = p.duong_dan ? p.duong_dan + ": " : "";
      li.textContent = where + path + (p.loi ? "" : "cảnh báo: ") + p.thong_bao;
      if (p.dong) {
        li.dataset.dong = p.dong;
        li.classList.add("jump");
        li.title = "Bấm để đến dòng " + p.dong;
        li.addEventListener("click", function () { gotoLine(p.dong, p.cot); });
      }
      problemList.append(li);
    }
  }

  function showPages(urls, version) {
    if (!urls.length) {
      pages.replaceChildren();
      root.dataset.phien = String(version);
      return;
    }
    const images = urls.map(function (url, i) {
      const img = new Image();
      img.alt = "Trang " + (i + 1);
      img.className = "page";
      return new Promise(function (done) {
        img.onload = img.onerror = function () { done(img); };
        img.src = url;
      });
    });
    Promise.all(images).then(function (loaded) {
      pages.replaceChildren.apply(pages, loaded);
      root.dataset.phien = String(version);
    });
  }

  function apply(view) {
    if (!dirty) {
      if (view.noi_dung !== getText()) setText(view.noi_dung);
      base = view.ma_bam;
    } else if (view.ma_bam !== base) {
      say("Tệp vừa được sửa ở nơi khác; bạn còn thay đổi chưa lưu.", true);
    }
    note.textContent = view.ghi_chu || "";
    showProblems(view.van_de);
    showPages(view.trang, view.phien);
    if (dirty) return;
    const errors = (view.van_de || []).filter(function (p) { return p.loi; }).length;
    if (errors) say("Còn " + errors + " lỗi: xem danh sách bên dưới, bấm vào lỗi để đến dòng.", true);
    else say("Đã cập nhật (" + view.giay.toFixed(1) + " giây).");
  }

  const events = new EventSource("/su-kien?tep=" + encodeURIComponent(tep));
  events.addEventListener("trang", function (e) { apply(JSON.parse(e.data)); });
  events.onerror = function () { say("Mất kết nối với máy chủ; đang thử lại…", true); };

  // ------------------------------------------------------------------ actions
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Tetngheo-Token": token },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.text().then(function (text) {
        let data;
        try { data = JSON.parse(text); } catch (err) { data = { loi: text }; }
        return { status: r.status, data: data };
      });
    });
  }

  function failed(res) {
    if (res.status < 400 || res.status === 409) return false;
    say(res.data.loi || "Có lỗi.", true);
    if (res.data.van_de) showProblems(res.data.van_de);
    return true;
  }

  function save(overwrite) {
    const body = { tep: tep, noi_dung: getText(), ma_bam_goc: base, ghi_de: !!overwrite };
    say("Đang lưu…");
    post("/luu", body).then(function (res) {
      if (failed(res)) return;
      if (res.status === 409) {
        if (window.confirm(res.data.xung_dot)) save(true); else say("Chưa lưu.", true);
        return;
      }
      dirty = false;
      base = res.data.ma_bam;
      say(res.data.da_luu ? "Đã lưu (bản trước giữ trong .phien-ban/)." : "Không có gì thay đổi.");
    });
  }

  function make(url, label, confirmed) {
    say("Đang tạo " + label + "…");
    post(url, { tep: tep, xac_nhan: !!confirmed }).then(function (res) {
      if (failed(res)) return;
      if (res.status === 409) {
        if (window.confirm(res.data.can_xac_nhan)) make(url, label, true);
        else say("Đã hủy; không ghi gì vào sổ.");
        return;
      }
      status.replaceChildren();
      status.className = "";
      status.append("Đã tạo ");
      const a = document.createElement("a");
      a.href = "/tai?tep=" + encodeURIComponent(res.data.tep);
      a.textContent = res.data.tep;
      status.append(a);
      if (res.data.ghi_chu) status.append(" — " + res.data.ghi_chu);
    });
  }

  document.getElementById("nut-luu").addEventListener("click", function () { save(); });
  document.getElementById("nut-docx").addEventListener("click", function () {
    make("/tao-docx", ".docx");
  });
  document.getElementById("nut-pdf").addEventListener("click", function () {
    make("/tao-pdf", "PDF");
  });

  const list = document.getElementById("danh-sach");
  const who = document.getElementById("noi-nhan");
  list.addEventListener("change", function () {
    who.replaceChildren();
    if (!list.value) return;
    fetch("/nguoi-nhan?tep=" + encodeURIComponent(list.value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.loi) { say(data.loi, true); return; }
        data.ten.forEach(function (name, i) {
          const option = document.createElement("option");
          option.value = String(i);
          option.textContent = (i + 1) + ". " + name;
          who.append(option);
        });
      });
  });
  document.getElementById("nut-thu").addEventListener("click", function () {
    if (!list.value || !who.value) { say("Hãy chọn danh sách và nơi nhận.", true); return; }
    say("Đang tạo thư xem thử…");
    post("/xem-thu", { tep: tep, danh_sach: list.value, stt: Number(who.value) })
      .then(function (res) {
        if (failed(res)) return;
        note.textContent = res.data.ghi_chu;
        showPages(res.data.trang, res.data.phien);
        say("Đã tạo thư xem thử (" + res.data.giay.toFixed(1) + " giây).");
      });
  });
})();
