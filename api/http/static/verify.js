// The public check: sends the chosen PDF to POST /api/verify and shows its verdict, in
// Vietnamese, one block per signature (kept out of the page for the Content-Security-Policy).
(function () {
  const form = document.getElementById("verify-form");
  if (!form) return;
  const out = document.getElementById("verify-result");

  function line(label, value) {
    const p = document.createElement("p");
    const b = document.createElement("strong");
    b.textContent = label + ": ";
    p.append(b, value || "—");
    return p;
  }

  function when(iso) { return iso ? iso.replace("T", " ").slice(0, 19) : ""; }

  function show(report) {
    const parts = [];
    const head = document.createElement("p");
    head.className = report.verdict === "valid" ? "ok" : "error";
    head.id = "verify-verdict";
    head.textContent = "Kết quả: " + report.verdict_vi;
    parts.push(head);
    if (!report.signatures.length) parts.push(line("Chữ ký", "Tệp không có chữ ký số nào."));
    report.signatures.forEach((s, i) => {
      const box = document.createElement("div");
      box.className = "card";
      const title = document.createElement("h2");
      title.textContent = (s.kind === "document_timestamp" ? "Dấu thời gian lưu trữ " : "Chữ ký ") + (i + 1);
      box.append(
        title,
        line("Đánh giá", s.verdict_vi),
        line("Người ký", s.signer),
        line("Thời điểm ký", when(s.signing_time) + " (" + s.signing_time_source_vi + ")"),
        line("Chứng thư tin cậy", s.trusted ? "có" : "không"),
        line("Nội dung nguyên vẹn", s.intact && s.valid ? "có" : "không"),
        line("Mức PAdES", s.level),
      );
      parts.push(box);
    });
    out.replaceChildren(...parts);
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = document.getElementById("verify-file").files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file, file.name);
    out.className = "";
    out.textContent = "Đang kiểm tra…";
    try {
      const r = await fetch("/api/verify", { method: "POST", body, credentials: "omit" });
      const reply = await r.json();
      if (r.ok) show(reply);
      else { out.className = "error"; out.textContent = (reply.error && reply.error.hint) || ("Lỗi " + r.status); }
    } catch (err) {
      out.textContent = "Không kết nối được máy chủ, xin thử lại.";
    }
  });
})();
