// Exports the cluster picture as a file: a standalone SVG (the picture's own markup with the
// page's canvas styles and colour tokens inside it) or a PNG drawn from that SVG at twice its
// size. Loaded on demand by assets/page.js's export_picture (src/ui/export.rs): the first
// export fetches it. Nothing leaves the page (the file is a `blob:` URL).
const SVG = "http://www.w3.org/2000/svg";
// The rules the picture needs: the colour tokens (`:root`, light and dark) and `.canvas*`.
function styles() {
  const out = [];
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (error) { continue; }
    for (const rule of rules) {
      const text = rule.cssText;
      if (text.includes(":root") || text.includes(".canvas")) out.push(text);
    }
  }
  return out.join("\n");
}
function save(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
export function exportPicture(from, format) {
  const svg = from.closest("section").querySelector("svg.canvas");
  if (!svg) return;
  const box = svg.viewBox.baseVal;
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", SVG);
  copy.setAttribute("width", box.width);
  copy.setAttribute("height", box.height);
  const style = document.createElementNS(SVG, "style");
  style.textContent = styles() + "\nsvg.canvas { background: var(--color-surface); }";
  copy.insertBefore(style, copy.firstChild);
  const blob = new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" });
  if (format === "svg") return save(blob, "svcscope-cluster.svg");
  const image = new Image();
  const url = URL.createObjectURL(blob);
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = box.width * 2;
    canvas.height = box.height * 2;
    const context = canvas.getContext("2d");
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    URL.revokeObjectURL(url);
    canvas.toBlob((png) => png && save(png, "svcscope-cluster.png"), "image/png");
  };
  image.src = url;
}
