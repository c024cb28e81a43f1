// Pages that workers change under the user's eyes (a dossier, a document, the leader's inbox)
// poll a small JSON status and update only the cells that changed: the page is never
// reloaded, so a file being uploaded, a reason being typed or boxes being ticked are kept.
// Polling stops when nothing is pending; an upload (upload.js) starts it again.
(function () {
  const FIRST = 2000, LAST = 10000;

  function badge(cell, tone, text) {
    let span = cell.querySelector(".badge");
    if (!span) { span = document.createElement("span"); cell.prepend(span); }
    span.className = "badge " + tone;
    span.textContent = text;
  }

  function poller(url, apply) {
    let timer = null, delay = FIRST, last = "";
    async function tick() {
      timer = null;
      let reply;
      try {
        const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!r.ok) return;  // signed out, or gone: stop quietly, the next action will tell
        reply = await r.json();
      } catch (e) { schedule(); return; }
      const text = JSON.stringify(reply);
      delay = text === last ? Math.min(delay * 2, LAST) : FIRST;  // back off while nothing moves
      last = text;
      if (apply(reply)) schedule();
    }
    function schedule() { if (timer === null) timer = setTimeout(tick, delay); }
    return { start() { delay = FIRST; schedule(); } };
  }

  function documentRow(table, d) {
    const row = document.createElement("tr");
    row.dataset.document = d.id;
    const link = document.createElement("a");
    link.href = "/clerk/documents/" + d.id;
    link.textContent = d.file;
    const first = document.createElement("td");
    first.className = "doc-file";
    first.append(link);
    row.append(first);
    for (const name of ["doc-type", "opt doc-confidence", "doc-pages", "doc-status"]) {
      const cell = document.createElement("td");
      cell.className = name;
      row.append(cell);
    }
    table.tBodies[0].append(row);
    const none = document.getElementById("no-documents");
    if (none) none.remove();
    table.closest(".table-wrap").hidden = false;  // drawn hidden while the dossier had no file
    return row;
  }

  function updateDocument(row, d) {
    const file = row.querySelector(".doc-file");
    if (d.thumbnail && file && !file.querySelector("img")) {
      const img = document.createElement("img");
      img.className = "thumb"; img.alt = ""; img.src = d.thumbnail;
      file.prepend(img);
    }
    row.querySelector(".doc-type").textContent = d.type_name || "—";
    row.querySelector(".doc-confidence").textContent =
      d.type_confidence === null ? "" : Math.round(100 * d.type_confidence) + "%";
    row.querySelector(".doc-pages").textContent = d.pages || "";
    const cell = row.querySelector(".doc-status");
    badge(cell, d.tone, d.status_vi);
    let error = cell.querySelector(".error");
    if (d.error && !error) { error = document.createElement("span"); error.className = "error small"; cell.append(" ", error); }
    if (error) error.textContent = d.error || "";
  }

  function updateCompleteness(box, reply) {
    const c = reply.completeness;
    const summary = document.createElement("p");
    summary.className = c.complete ? "ok" : "warn";
    summary.textContent = reply.completeness_vi;
    const parts = [summary];
    if (!c.complete) {
      const list = document.createElement("ul");
      list.className = "checklist";
      for (const check of c.checks) {
        if (check.verdict === "present") continue;
        const item = document.createElement("li");
        const b = document.createElement("span");
        b.className = "badge " + (check.verdict === "missing" ? "bad" : "wait");
        b.textContent = check.verdict_vi;
        const reason = document.createElement("span");
        reason.className = "muted small";
        reason.textContent = check.reason;
        item.append(b, " " + check.label + ": ", reason);
        list.append(item);
      }
      parts.push(list);
    }
    box.replaceChildren(...parts);
  }

  function dossier(live) {
    const table = document.getElementById("documents");
    return poller(live.dataset.statusUrl, (reply) => {
      const status = document.getElementById("dossier-status");
      if (status) status.textContent = reply.status_vi;
      for (const comp of reply.components) {
        const item = document.querySelector(`[data-component="${comp.id}"]`);
        if (item) badge(item, comp.tone, comp.state_vi);
      }
      const box = document.getElementById("completeness");
      if (box) updateCompleteness(box, reply);
      if (table) {
        for (const d of reply.documents) {
          const row = table.querySelector(`tr[data-document="${d.id}"]`) || documentRow(table, d);
          updateDocument(row, d);
        }
      }
      return reply.pending;
    });
  }

  function oneDocument(live) {
    const id = Number(live.dataset.document);
    return poller(live.dataset.statusUrl, (reply) => {
      const d = reply.documents.find((x) => x.id === id);
      if (!d) return false;
      const status = document.getElementById("document-status");
      status.className = "badge " + d.tone;
      status.textContent = d.status_vi;
      const pending = d.status === "queued" || d.status === "processing";
      if (!pending) document.getElementById("ready-note").hidden = false;
      return pending;
    });
  }

  function inbox(live) {
    return poller(live.dataset.statusUrl, (rows) => {
      let pending = false;
      for (const r of rows) {
        const row = document.querySelector(`tr[data-code="${r.code}"]`);
        if (!row && !r.to_sign) document.getElementById("inbox-changed").hidden = false;
        if (!row) continue;
        const cell = row.querySelector(".signatures");
        const badges = r.signatures.map((s) => {
          const b = document.createElement("span");
          b.className = "badge " + s.tone;
          b.textContent = s.signer + ": " + s.status_vi;
          return b;
        });
        cell.replaceChildren(...badges.flatMap((b) => [b, " "]));
        if (r.signed) {
          const link = document.createElement("a");
          link.href = "/api/dossiers/" + r.code + "/result";
          link.textContent = "Tải kết quả đã ký";
          row.querySelector(".result").replaceChildren(link);
        }
        pending = pending || r.signatures.some((s) => s.status === "queued" || s.status === "awaiting_token");
      }
      return pending;
    });
  }

  const live = document.getElementById("live");
  const inboxLive = document.getElementById("live-inbox");
  let watch = null;
  if (live && live.dataset.document) watch = oneDocument(live);
  else if (live) watch = dossier(live);
  else if (inboxLive) watch = inbox(inboxLive);
  if (!watch) return;
  if ((live || inboxLive).dataset.pending === "1") watch.start();
  document.addEventListener("sohoa:uploaded", () => watch.start());
})();
