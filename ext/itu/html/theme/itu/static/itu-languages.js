// The language switcher keeps the reader on the same clause: anchors are shared.
"use strict";
for (const link of document.querySelectorAll(".itu-languages a")) {
  link.addEventListener("click", () => { link.hash = location.hash; });
}
