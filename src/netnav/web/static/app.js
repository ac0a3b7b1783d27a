// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  function openCitation(link, dialog) {
    var n = link.getAttribute("data-n");
    var source = document.getElementById("src-" + n);
    if (!source || typeof dialog.showModal !== "function") { return false; }
    var body = dialog.querySelector(".dialog-body");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var copy = source.cloneNode(true);  // a DOM copy: text stays text, nothing is parsed as HTML
    copy.removeAttribute("id");
    copy.removeAttribute("tabindex");
    body.appendChild(copy);
    var title = dialog.querySelector("#cite-dialog-title");
    title.textContent = "Source " + n;
    dialog.returnFocusTo = link;
    dialog.showModal();
    return true;
  }

  function setUpCitations() {
    var dialog = document.getElementById("cite-dialog");
    if (!dialog) { return; }
    dialog.addEventListener("close", function () {
      if (dialog.returnFocusTo) { dialog.returnFocusTo.focus(); }
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }  // click on the backdrop
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.cite") : null;
      if (link && openCitation(link, dialog)) { event.preventDefault(); }
    });
  }

  function setUpPrint() {
    var buttons = document.querySelectorAll(".print-button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCitations();
    setUpPrint();
  });
})();
