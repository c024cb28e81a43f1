// The leader's inbox, signing with the leader's own USB token: this page talks to the sign
// agent on the leader's computer (sohoa sign-agent, docs in signing/agent.py) and to the
// server in turn: the agent's certificate -> the server prepares the chosen results -> the
// agent shows the batch and asks the PIN once -> the server embeds and checks the
// signatures. The pairing code is asked once and kept in this tab's sessionStorage; no
// cookie goes to the agent. Messages are the page's (config.labels.AGENT_SIGNING).
(function () {
  const form = document.getElementById("agent-sign");
  if (!form) return;
  const KEY = "sohoa.agentPairing";
  const pairing = document.getElementById("agent-pairing");
  const address = document.getElementById("agent-url");
  const progress = document.getElementById("agent-progress");
  const button = form.querySelector("button[type=submit]");
  const all = document.getElementById("agent-all");
  pairing.value = sessionStorage.getItem(KEY) || "";
  if (all) {
    all.addEventListener("click", () => {
      for (const box of form.querySelectorAll("input[name=agent_results]")) box.checked = all.checked;
    });
  }

  class Shown extends Error {}  // a message already in the leader's words

  function msg(name, values) {
    let text = form.getAttribute("data-msg-" + name.replace(/_/g, "-")) || name;
    for (const [key, value] of Object.entries(values || {})) text = text.replace("{" + key + "}", value);
    return text;
  }

  function show(text, tone) {
    progress.hidden = false;
    progress.className = tone || "";
    progress.textContent = text;
  }

  function seen(value) {  // CODE:DOCUMENT_ID:SHA256, as the row's box carries it
    const parts = value.split(":");
    const sha256 = parts.pop(), documentId = parts.pop();
    return { code: parts.join(":"), document_id: Number(documentId), sha256: sha256 };
  }

  async function agent(base, method, path, body) {
    const headers = { Authorization: "Bearer " + pairing.value.trim() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let reply;
    try {
      reply = await fetch(base + path, {
        method: method, headers: headers, credentials: "omit", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Shown(msg("agent_down", { url: base }));
    }
    const payload = await reply.json().catch(() => ({}));
    if (reply.ok) return payload;
    if (reply.status === 401) {
      sessionStorage.removeItem(KEY);
      throw new Shown(msg("agent_pairing"));
    }
    if (reply.status === 403) throw new Shown(msg(path === "/sign" ? "agent_declined" : "agent_forbidden"));
    if (reply.status === 503) throw new Shown(msg("agent_token"));
    throw new Shown(msg("agent_error", { error: payload.error || reply.status }));
  }

  async function server(path, body) {
    const reply = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify(body),
    });
    const payload = await reply.json().catch(() => ({}));
    if (reply.ok) return payload;
    const error = payload.error || {};
    throw new Shown(msg("server_error", { hint: error.hint || error.message || reply.status }));
  }

  async function signBatch(chosen, base) {
    show(msg("step_certificate"));
    const certificate = await agent(base, "GET", "/certificate");
    show(msg("step_prepare", { count: chosen.length }));
    const prepared = await server("/api/signing/agent/prepare", {
      results: chosen.map(seen), certificates: certificate.certificates,
    });
    if (!prepared.items.length) return show(msg("nothing_owed"), "error");
    show(msg("step_sign", { count: prepared.items.length }));
    const items = prepared.items.map((i) => ({ title: i.title, document_digest: i.document_digest, signed_attrs: i.signed_attrs }));
    const signed = await agent(base, "POST", "/sign", { md_algorithm: prepared.md_algorithm, items: items });
    show(msg("step_finish"));
    const done = await server("/api/signing/agent/finish", {
      signatures: prepared.items.map((item, n) => ({ code: item.code, id: item.id, signature: signed.signatures[n] })),
    });
    const ok = done.filter((d) => d.status === "signed").length;
    const failed = done.length - ok + prepared.failed.length;
    let text = msg("done", { signed: ok });
    if (failed) text += " " + msg("done_errors", { failed: failed });
    show(text, failed ? "error" : "ok");
    for (const d of done) {
      const box = form.querySelector("input[name=agent_results][value^='" + d.code + ":']");
      if (box && d.status === "signed") box.closest("tr").remove();
    }
    if (!form.querySelector("input[name=agent_results]")) form.querySelector(".table-wrap").hidden = true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = Array.from(form.querySelectorAll("input[name=agent_results]:checked"), (b) => b.value);
    if (!chosen.length) return show(msg("none_chosen"), "error");
    if (!pairing.value.trim()) return show(msg("no_pairing"), "error");
    sessionStorage.setItem(KEY, pairing.value.trim());
    button.disabled = true;
    try {
      await signBatch(chosen, address.value.trim().replace(/\/+$/, ""));
    } catch (e) {
      show(e instanceof Shown ? e.message : msg("agent_error", { error: e.message }), "error");
    } finally {
      button.disabled = false;
    }
  });
})();
