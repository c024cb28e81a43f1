// A document's page images: "Phóng to" / "Thu nhỏ" widen or narrow the pages (one column,
// then twice the column's width, scrolled sideways), and ask the browser for a sharper
// image (the sizes the srcset is chosen by) as they grow.
(function () {
  const bar = document.getElementById("zoom");
  const pages = document.getElementById("page-images");
  if (!bar || !pages || !pages.querySelector("img")) return;
  const levels = [
    { cls: "", sizes: "(min-width: 900px) 45vw, 95vw" },
    { cls: "zoom-1", sizes: "95vw" },
    { cls: "zoom-2", sizes: "190vw" },
  ];
  let level = 0;
  function apply() {
    pages.classList.remove("zoom-1", "zoom-2");
    if (levels[level].cls) pages.classList.add(levels[level].cls);
    for (const img of pages.querySelectorAll("img")) img.sizes = levels[level].sizes;
  }
  bar.hidden = false;
  bar.addEventListener("click", (e) => {
    const how = e.target.dataset && e.target.dataset.zoom;
    if (!how) return;
    level = Math.max(0, Math.min(levels.length - 1, level + (how === "in" ? 1 : -1)));
    apply();
  });
})();
