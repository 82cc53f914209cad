/* mlecourse explorable figures (mlecourse/explorable.py), no dependency.
   Each .mlc-explorable holds an SVG, a range input, an <output> and its frames as JSON:
   {"gids": [...], "d": [[path d of each moving line] per step], "readouts": [...],
   "valuetexts": [...]}. On input, the moving paths, the readout and aria-valuetext follow.
   Idempotent: each run wires every figure not wired yet, so the copy that ships in each
   notebook output and the one the book serves from _static can both load. */
(function () {
  "use strict";
  function wire(root) {
    root.setAttribute("data-mlc-wired", "");
    // In a notebook output the SVG waits in a script element, behind an image of it (the
    // form JupyterLab shows before it trusts the output): put the SVG in the image's place.
    var source = root.querySelector("script.mlc-explorable-svg");
    if (source) {
      var holder = document.createElement("div");
      holder.innerHTML = source.textContent;
      var image = root.querySelector("img.mlc-explorable-static");
      if (image) image.parentNode.replaceChild(holder.firstElementChild, image);
      source.parentNode.removeChild(source);
    }
    var data = JSON.parse(root.querySelector("script.mlc-explorable-frames").textContent);
    var input = root.querySelector("input[type=range]");
    var output = root.querySelector("output");
    var paths = data.gids.map(function (gid) {
      var node = root.querySelector('[id="' + gid + '"]');
      return node && node.tagName.toLowerCase() !== "path" ? node.querySelector("path") : node;
    });
    function show() {
      var k = Math.round(Number(input.value));
      if (!(k >= 0 && k < data.d.length)) return;
      for (var j = 0; j < paths.length; j++) {
        if (paths[j]) paths[j].setAttribute("d", data.d[k][j]);
      }
      output.textContent = data.readouts[k];
      input.setAttribute("aria-valuetext", data.valuetexts[k]);
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show(); // a value the browser restored (back button) is shown as it is
  }
  function wireAll() {
    var roots = document.querySelectorAll(".mlc-explorable:not([data-mlc-wired])");
    for (var i = 0; i < roots.length; i++) wire(roots[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireAll);
  } else {
    wireAll();
  }
})();
