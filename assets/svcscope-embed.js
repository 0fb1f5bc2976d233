// For the page that embeds svcscope, not for svcscope itself: sizes each svcscope iframe whose
// URL asks for `autoheight=1` to the height its content reports (svcscope-autoheight.js, in
// the iframe), so that it scrolls with the page instead of inside itself. Include it once:
//   <script src="svcscope/svcscope-embed.js" defer></script>
// Only the iframe a message comes from is resized, and to at most 20,000 px.
addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.svcscope !== "height" || typeof data.height !== "number") return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow === event.source) {
      // With border-box sizing (many themes set it) the height includes the frame's borders.
      const borders =
        getComputedStyle(frame).boxSizing === "border-box" ? frame.offsetHeight - frame.clientHeight : 0;
      frame.style.height = `${Math.min(Math.max(data.height, 200), 20000) + borders}px`;
    }
  }
});
