// Proposals side by side: print every row, the folded ones too, and fold them back after.
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
