// Loaded by boot.js for `?embed=1&autoheight=1`: lays the page out at its content's height
// (app.css, `.autoheight`) and posts that height to the page around the iframe, which
// svcscope-embed.js (there) uses to size the iframe, so that it needs no scrollbar of its own.
if (window.parent !== window && /[?&]embed=1(&|$)/.test(location.search)) {
  document.documentElement.classList.add("autoheight");
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ svcscope: "height", height }, "*");
    }
  };
  new ResizeObserver(post).observe(document.documentElement);
}
