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

  // Long report reading (OCR, large PDFs) as a job: the form is sent with ?background=true, then the
  // job is polled at /api/jobs/{id} and shown in the form's progress panel; Cancel stops it. Without
  // JavaScript the form posts normally and the page waits.
  function setText(el, text) { if (el) { el.textContent = text; } }

  // The session's anti-forgery token (also in every form's csrf_token field): sent on every write.
  function csrfHeaders() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return { "X-CSRF-Token": meta ? meta.getAttribute("content") : "" };
  }

  function showJob(form, panel, job) {
    var bar = panel.querySelector("progress");
    var stage = panel.querySelector(".job-stage");
    var total = job.progress && job.progress.total;
    if (total) { bar.max = total; bar.value = job.progress.done; } else { bar.removeAttribute("value"); }
    setText(stage, job.state === "queued" ? "Waiting to start…" : (job.progress.stage || "Working…"));
  }

  function fail(panel, message) {
    var error = panel.querySelector(".job-error");
    setText(error, message);
    error.hidden = false;
    panel.querySelector(".job-cancel").hidden = true;
  }

  function poll(form, panel, jobId, started) {
    fetch("/api/jobs/" + encodeURIComponent(jobId), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { fail(panel, res.body.detail || "The job could not be followed."); return; }
        var job = res.body;
        showJob(form, panel, job);
        if (job.state === "done") {
          var result = {};
          try { result = JSON.parse(job.result || "{}"); } catch (e) { result = {}; }
          setText(panel.querySelector(".job-stage"), "Done.");
          // a new query string forces a real load even when only the #fragment would otherwise change
          window.location.href = "/my-cases/" + encodeURIComponent(result.case_id || "") + "?read=" +
            encodeURIComponent(jobId) + "#values-h";
        } else if (job.state === "failed") {
          fail(panel, job.error || "Reading the report failed.");
        } else if (job.state === "cancelled") {
          fail(panel, "Cancelled: nothing was added.");
        } else {
          window.setTimeout(function () { poll(form, panel, jobId, started); }, 400);
        }
      })
      .catch(function () { fail(panel, "The server could not be reached."); });
  }

  function setUpJobs() {
    var forms = document.querySelectorAll("form[data-job-url]");
    Array.prototype.forEach.call(forms, function (form) {
      var panel = form.querySelector(".job");
      if (!panel || !window.fetch || !window.FormData) { return; }
      form.addEventListener("submit", function (event) {
        var files = form.querySelector("input[type=file]");
        if (!files || !files.files || files.files.length === 0) { return; }  // nothing long: post normally
        event.preventDefault();
        panel.hidden = false;
        panel.querySelector(".job-error").hidden = true;
        panel.querySelector(".job-cancel").hidden = false;
        setText(panel.querySelector(".job-stage"), "Uploading…");
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        fetch(form.getAttribute("data-job-url"), { method: "POST", body: new FormData(form), credentials: "same-origin", headers: csrfHeaders() })
          .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
          .then(function (res) {
            if (res.status !== 202) { button.disabled = false; fail(panel, res.body.detail || "The upload was refused."); return; }
            panel.setAttribute("data-job", res.body.id);
            showJob(form, panel, res.body);
            poll(form, panel, res.body.id, Date.now());
          })
          .catch(function () { button.disabled = false; fail(panel, "The server could not be reached."); });
      });
      panel.querySelector(".job-cancel").addEventListener("click", function () {
        var jobId = panel.getAttribute("data-job");
        if (!jobId) { return; }
        fetch("/api/jobs/" + encodeURIComponent(jobId), { method: "DELETE", credentials: "same-origin", headers: csrfHeaders() });
        form.querySelector("button[type=submit]").disabled = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCitations();
    setUpPrint();
    setUpJobs();
  });
})();
