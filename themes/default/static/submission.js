// The "Prepare your submission" step: shows which of the user's own answers it follows
// (submit the response now, later or not; the same for the answers kept separate), and
// fits the e-mail to them: its subject, its text and the PDFs to attach. The address and
// the questions come from the page, which has them from the survey spec. Nothing is sent:
// the link opens the user's own e-mail program.
(function () {
  "use strict";

  var model = window.normbookSurvey;

  /** "now", "later", "no" (answered otherwise) or "" (not answered) for a choice row. */
  function decision(row, answers) {
    var question = row.getAttribute("data-question");
    if (!question || !(question in answers)) return "";
    var value = answers[question];
    if (value === row.getAttribute("data-now")) return "now";
    if (value === row.getAttribute("data-later")) return "later";
    return "no";
  }

  var STATES = {
    response: {
      now: "To be submitted now, without the points of contact",
      later: "To be submitted later",
      no: "Not to be submitted",
      "": "Not chosen yet"
    },
    separate: {
      now: "Kept separate, in a PDF of their own: to be submitted now",
      later: "Kept separate, in a PDF of their own: to be submitted later",
      no: "Kept separate, in a PDF of their own: not to be submitted",
      "": "Kept separate, in a PDF of their own: whether to submit them is not chosen yet",
      // When the survey asks no question about them.
      unasked: "Kept separate, in a PDF of their own"
    }
  };

  var NOTES = {
    now: "You chose to submit it now.",
    later: "You chose to submit it later: print it when it is final, or now to coordinate within your government.",
    no: "You chose not to submit it: print it for your records or to coordinate within your government.",
    "": ""
  };

  var ATTACHMENTS = {
    response: "the survey response, without the points of contact (PDF)",
    separate: "the points of contact, in a PDF of their own"
  };

  /** Today, as the UN writes dates ("3 December 2026") for a site in English. */
  /** The e-mail for the PDFs in `sending` (["response", "separate"]): its subject and text. */
  function mailto(email, sending, preparedBy) {
    var what = sending.map(function (key) { return key === "response" ? "survey response" : "points of contact"; }).join(" and ");
    var subject = model.title + ": " + what + (preparedBy ? " (" + preparedBy + ")" : "");
    var body = ["Please find attached:"]
      .concat(sending.map(function (key) { return "- " + ATTACHMENTS[key]; }))
      .concat(["", "Survey: " + model.title + " (version " + model.version + ")", "Prepared by: " + (preparedBy || ""), "Date: " + window.normbookAnswers.today(), ""]);
    // Line breaks as RFC 6068 asks: CR LF, percent-encoded.
    return "mailto:" + email + "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body.join("\r\n"));
  }

  function refresh(step) {
    var answers = window.normbookAnswers.current().answers;
    var preparedBy = window.normbookAnswers.preparedBy().trim();
    var sending = [];
    Array.prototype.forEach.call(step.querySelectorAll("[data-submission-choice]"), function (row) {
      var key = row.getAttribute("data-submission-choice");
      var chosen = decision(row, answers);
      row.querySelector("[data-submission-state]").textContent = row.hasAttribute("data-question") ? STATES[key][chosen] : STATES[key].unasked;
      var print = step.querySelector('[data-submission-step="' + key + '"] [data-submission-note]');
      print.textContent = NOTES[chosen];
      print.hidden = !chosen;
      if (chosen === "now") sending.push(key);
    });
    var by = step.querySelector("[data-submission-prepared-by]");
    by.textContent = preparedBy || "Not given: add your ministry or office under “Your answers” below";
    var email = step.getAttribute("data-email");
    var attach = step.querySelector("[data-submission-attach]");
    var mail = step.querySelector("[data-submission-mail]");
    var link = mail.querySelector("[data-submission-mailto]");
    mail.hidden = sending.length === 0;
    link.href = mailto(email, sending.length ? sending : ["response"], preparedBy);
    attach.textContent = sending.length
      ? "Attach " + sending.map(function (key) { return ATTACHMENTS[key]; }).join(", and ") + ". The e-mail’s subject and text are ready; check them before you send."
      : "Your choices above send nothing now. When you choose to submit, the e-mail to " + email + " will be ready here, listing the PDF files to attach.";
  }

  function start() {
    var step = document.querySelector("[data-submission]");
    // form.js refuses a model of another build, and then says so itself.
    if (!step || !model || !window.normbookAnswers) return;
    step.querySelector("[data-submission-choices]").hidden = false;
    var update = function () { refresh(step); };
    update();
    // After form.js has stored the change (its listeners sit nearer the fields).
    document.addEventListener("input", update);
    document.addEventListener("change", update);
    window.addEventListener("storage", update);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
