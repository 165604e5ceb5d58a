// Proposals side by side: print the folded rows too, in browsers that cannot open them
// from CSS (::details-content), and fold them back after.
"use strict";
(() => {
  const folded = () => document.querySelectorAll("details.itu-cmp-unchanged:not([open])");
  let opened = [];
  addEventListener("beforeprint", () => {
    opened = [...folded()];
    opened.forEach((details) => { details.open = true; });
  });
  addEventListener("afterprint", () => {
    opened.forEach((details) => { details.open = false; });
    opened = [];
  });
})();
