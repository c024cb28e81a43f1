// Drag-and-drop or multi-file upload with a progress bar per file (one request per file, so
// each bar is that file's own). The session's CSRF token goes in the X-CSRF-Token header.
// The page is never reloaded: live.js shows the stored files as their states change.
(function () {
  const zone = document.getElementById("dropzone");
  if (!zone) return;
  const input = document.getElementById("file-input");
  const list = document.getElementById("uploads");
  let running = 0;

  function row(file) {
    const li = document.createElement("li");
    const name = document.createElement("div");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    const note = document.createElement("div");
    note.className = "small muted";
    li.append(name, bar, note);
    list.append(li);
    return { bar, note };
  }

  function send(file) {
    const { bar, note } = row(file);
    const form = new FormData();
    form.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", zone.dataset.url);
    xhr.setRequestHeader("X-CSRF-Token", zone.dataset.csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = (100 * e.loaded) / e.total; };
    running += 1;
    xhr.onloadend = () => {
      running -= 1;
      let reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = null; }
      if (xhr.status === 201 && reply) {
        const f = reply.files[0];
        bar.value = 100;
        if (f.status === "rejected") { note.className = "small error"; note.textContent = "Bị từ chối: " + f.error.hint; }
        else if (f.status === "duplicate") { note.textContent = "Tệp này đã có trong hồ sơ."; }
        else { note.className = "small ok"; note.textContent = "Đã lưu, đang số hóa…"; }
      } else {
        note.className = "small error";
        note.textContent = (reply && reply.error) ? reply.error.hint : "Lỗi tải lên (" + xhr.status + ")";
      }
      // the page's status poller (live.js) adds the new rows and follows them: no reload,
      // so other uploads and anything typed on the page are kept
      document.dispatchEvent(new Event("sohoa:uploaded"));
    };
    xhr.send(form);
  }

  function take(files) { for (const f of files) send(f); }
  input.addEventListener("change", () => take(input.files));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); take(e.dataTransfer.files); });
})();
