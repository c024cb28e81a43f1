// The leader's inbox: the header's box ticks or clears every result's box (kept out of the
// page itself so the Content-Security-Policy can forbid inline script).
(function () {
  const all = document.getElementById("all");
  if (!all) return;
  all.addEventListener("click", () => {
    for (const box of document.querySelectorAll("input[name=results]")) box.checked = all.checked;
  });
})();
