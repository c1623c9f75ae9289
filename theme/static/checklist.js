// The ICF checklist (tjekliste.html, appendix 3 of the guideline). The form works and prints
// without this script; the script adds a live summary, the sections the answers point to, a
// journal note to copy, print, reset, opt-in saving in this browser (localStorage), export and
// import of a visit (JSON and FHIR QuestionnaireResponse) and a comparison with an earlier visit.
//
// Plain JavaScript, no framework and no build step. Nothing is sent anywhere: no fetch, XHR,
// WebSocket, beacon or image request. Files are written with Blob + a[download] and read with
// FileReader. Texts come from templates/strings.yaml through the data-* attributes of #cl-app.
(function () {
  "use strict";

  var KEY = "vejviser-checklist";
  var FORMAT = "vejviser-visit";
  var VERSION = 1;
  var QUESTIONNAIRE = "icf-vurdering";

  var app = document.getElementById("cl-app");
  var form = document.getElementById("checklist");
  var dataEl = document.getElementById("checklist-data");
  if (!app || !form || !dataEl) return;
  var components;
  try {
    components = JSON.parse(dataEl.textContent);
  } catch (e) {
    return;
  }
  if (!Array.isArray(components)) return;

  function $(id) {
    return document.getElementById(id);
  }
  function text(name) {
    return app.getAttribute("data-" + name) || "";
  }
  function el(tag, className, content) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined && content !== null) e.textContent = content;
    return e;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  // 2025-05-14 (local date), as in the visit file.
  function isoDate(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  // 2025-05-14T10:30:00+02:00: a FHIR dateTime with the local offset.
  function isoDateTime(d) {
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return (
      isoDate(d) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60)
    );
  }
  // 14.05.2025, as dates are written in Danish journals.
  function danishDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
    return m ? m[3] + "." + m[2] + "." + m[1] : String(iso || "");
  }

  // ---- The questions ---------------------------------------------------------------------
  // Every answerable question (an item with options), in source order, with its component and
  // a label that names its group ("Løfte/bære – Kan løfte").
  var questions = [];
  var byId = {};
  function collect(comp, items, path) {
    items.forEach(function (item) {
      if (item.items && item.items.length) {
        collect(comp, item.items, path.concat([item.text]));
        return;
      }
      var q = {
        id: item.id,
        text: item.text,
        label: path.concat([item.text]).join(" – "),
        options: (item.options || []).map(function (o) {
          return o.value;
        }),
        pointers: item.pointers || [],
        component: comp,
        radios: [],
      };
      questions.push(q);
      byId[q.id] = q;
      comp.questions.push(q);
    });
  }
  components.forEach(function (comp) {
    comp.questions = [];
    collect(comp, comp.items || [], []);
  });
  Array.prototype.forEach.call(form.querySelectorAll('input[type="radio"]'), function (r) {
    if (byId[r.name]) byId[r.name].radios.push(r);
  });

  function answers() {
    var out = {};
    questions.forEach(function (q) {
      for (var i = 0; i < q.radios.length; i++) {
        if (q.radios[i].checked) {
          out[q.id] = q.radios[i].value;
          return;
        }
      }
    });
    return out;
  }
  function setAnswers(values) {
    questions.forEach(function (q) {
      var v = Object.prototype.hasOwnProperty.call(values, q.id) ? values[q.id] : null;
      q.radios.forEach(function (r) {
        r.checked = v !== null && r.value === v;
      });
    });
  }
  // Only answers to questions of this checklist with one of their options; the rest is counted.
  function clean(values) {
    var out = {};
    var ignored = 0;
    if (!values || typeof values !== "object") return { answers: out, ignored: 0 };
    Object.keys(values).forEach(function (id) {
      var q = byId[id];
      var v = values[id];
      if (q && typeof v === "string" && q.options.indexOf(v) !== -1) out[id] = v;
      else ignored++;
    });
    return { answers: out, ignored: ignored };
  }
  function count(values) {
    return Object.keys(values).length;
  }

  // ---- Status messages (one aria-live region) --------------------------------------------
  var statusEl = $("cl-status");
  var statusTimer = null;
  function say(message) {
    if (!statusEl) return;
    window.clearTimeout(statusTimer);
    statusEl.textContent = "";
    // A short pause, so that the same message twice is announced twice.
    statusTimer = window.setTimeout(function () {
      statusEl.textContent = message;
      statusTimer = window.setTimeout(function () {
        statusEl.textContent = "";
      }, 15000);
    }, 60);
  }

  // ---- Pointers: the sections the current answers point to -------------------------------
  function relevant(values) {
    var out = [];
    var byUrl = {};
    questions.forEach(function (q) {
      var v = values[q.id];
      if (v === undefined) return;
      q.pointers.forEach(function (p) {
        if (p.when !== v) return;
        var entry = byUrl[p.url];
        if (!entry) {
          entry = { url: p.url, number: p.number, title: p.title, reasons: [] };
          byUrl[p.url] = entry;
          out.push(entry);
        }
        entry.reasons.push({ question: q, answer: v, note: p.note || "" });
      });
    });
    return out;
  }

  // ---- Summary ---------------------------------------------------------------------------
  var summaryBody = $("cl-summary-body");
  var relevantList = $("cl-relevant");
  var relevantNone = $("cl-relevant-none");
  var counts = {};
  Array.prototype.forEach.call(form.querySelectorAll(".cl-count[data-count]"), function (p) {
    counts[p.getAttribute("data-count")] = p;
  });

  function countText(n, total) {
    return n + " " + text("of") + " " + total + " " + text("answered");
  }

  function renderSummary(values, today) {
    if (!summaryBody) return;
    summaryBody.textContent = "";
    summaryBody.appendChild(el("p", "cl-sum-date", text("note-date") + ": " + danishDate(today)));
    components.forEach(function (comp) {
      var answered = comp.questions.filter(function (q) {
        return values[q.id] !== undefined;
      });
      var box = el("div", "cl-sum-comp");
      box.setAttribute("data-summary", comp.id);
      box.appendChild(el("h3", null, comp.title));
      box.appendChild(el("p", "cl-sum-count", countText(answered.length, comp.questions.length)));
      if (answered.length) {
        var ul = el("ul", "cl-answers");
        answered.forEach(function (q) {
          var li = el("li");
          li.setAttribute("data-id", q.id);
          li.appendChild(el("span", "cl-a-q", q.label + ": "));
          li.appendChild(el("strong", "cl-a-v", values[q.id]));
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
      summaryBody.appendChild(box);
    });
  }

  function renderRelevant(list) {
    if (!relevantList) return;
    relevantList.textContent = "";
    list.forEach(function (r) {
      var li = el("li");
      var a = el("a", null, r.number + " " + r.title);
      a.href = r.url;
      li.appendChild(a);
      // Which answers point here, then what the guideline says (each note once).
      var notes = [];
      r.reasons.forEach(function (x) {
        li.appendChild(el("span", "cl-why", x.question.label + ": " + x.answer));
        if (x.note && notes.indexOf(x.note) === -1) notes.push(x.note);
      });
      notes.forEach(function (n) {
        li.appendChild(el("span", "cl-pnote", n));
      });
      relevantList.appendChild(li);
    });
    relevantList.hidden = list.length === 0;
    if (relevantNone) relevantNone.hidden = list.length !== 0;
  }

  // The pointer under each question that matches its answer is marked.
  function markPointers(values) {
    Array.prototype.forEach.call(form.querySelectorAll(".cl-q"), function (fs) {
      var v = values[fs.getAttribute("data-id")];
      fs.classList.toggle("cl-answered", v !== undefined);
      Array.prototype.forEach.call(fs.querySelectorAll(".cl-pointers li[data-when]"), function (li) {
        li.classList.toggle("cl-hit", v !== undefined && li.getAttribute("data-when") === v);
      });
    });
  }

  // ---- Journal note ----------------------------------------------------------------------
  function noteText(values, today) {
    var lines = [text("title"), text("note-date") + ": " + danishDate(today)];
    var any = false;
    components.forEach(function (comp) {
      var answered = comp.questions.filter(function (q) {
        return values[q.id] !== undefined;
      });
      if (!answered.length) return;
      any = true;
      lines.push("");
      lines.push(comp.title + ":");
      answered.forEach(function (q) {
        lines.push("- " + q.label + ": " + values[q.id]);
      });
    });
    if (!any) {
      lines.push("");
      lines.push(text("none"));
    }
    var rel = relevant(values);
    if (rel.length) {
      lines.push("");
      lines.push(text("note-relevant") + ":");
      rel.forEach(function (r) {
        lines.push("- " + r.number + " " + r.title);
      });
    }
    if (text("source")) {
      lines.push("");
      lines.push(text("source"));
    }
    return lines.join("\n");
  }

  // ---- Comparison with an earlier visit --------------------------------------------------
  var previous = null; // { date, answers }
  var compareSection = $("cl-compare");
  var compareBody = $("cl-compare-body");
  var compareInfo = $("cl-compare-info");
  var colBefore = $("cl-col-before");

  function changes(values) {
    if (!previous) return 0;
    return questions.filter(function (q) {
      return (previous.answers[q.id] || null) !== (values[q.id] || null);
    }).length;
  }

  function renderCompare(values) {
    if (!compareSection || !previous) return;
    compareBody.textContent = "";
    var date = previous.date ? danishDate(previous.date) : "";
    if (colBefore) colBefore.textContent = text("earlier") + (date ? " (" + date + ")" : "");
    questions.forEach(function (q) {
      var before = previous.answers[q.id];
      var now = values[q.id];
      if (before === undefined && now === undefined) return;
      var changed = (before || null) !== (now || null);
      var tr = el("tr", changed ? "cl-changed" : null);
      tr.setAttribute("data-id", q.id);
      var th = el("th", null, q.label);
      th.scope = "row";
      tr.appendChild(th);
      tr.appendChild(el("td", before === undefined ? "cl-empty" : null, before === undefined ? text("not-answered") : before));
      var td = el("td", now === undefined ? "cl-empty" : null);
      if (changed) td.appendChild(el("strong", "cl-badge", text("changed")));
      td.appendChild(document.createTextNode((changed ? " " : "") + (now === undefined ? text("not-answered") : now)));
      tr.appendChild(td);
      compareBody.appendChild(tr);
    });
    if (compareInfo) {
      compareInfo.textContent =
        (date ? text("earlier") + ": " + date + ". " : "") + changes(values) + " " + text("msg-changed");
    }
  }

  // ---- Saving in this browser (opt-in) ---------------------------------------------------
  var saveBox = $("cl-save");
  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }
  function store(values) {
    if (!saveBox || !saveBox.checked) return;
    var s = storage();
    try {
      if (!s) throw new Error("no storage");
      s.setItem(KEY, JSON.stringify(visit(values)));
    } catch (e) {
      saveBox.checked = false;
      say(text("msg-storage-failed"));
    }
  }
  function forget() {
    var s = storage();
    try {
      if (s) s.removeItem(KEY);
    } catch (e) {
      /* nothing stored then */
    }
  }

  // ---- Files: visit JSON and FHIR QuestionnaireResponse ----------------------------------
  function visit(values) {
    return {
      format: FORMAT,
      version: VERSION,
      questionnaire: QUESTIONNAIRE,
      date: isoDate(new Date()),
      answers: values,
    };
  }

  function responseItems(items, values) {
    var out = [];
    items.forEach(function (item) {
      if (item.items && item.items.length) {
        var sub = responseItems(item.items, values);
        if (sub.length) out.push({ linkId: item.id, text: item.text, item: sub });
      } else if (values[item.id] !== undefined) {
        out.push({ linkId: item.id, text: item.text, answer: [{ valueString: values[item.id] }] });
      }
    });
    return out;
  }

  function questionnaireResponse(values) {
    var r = {
      resourceType: "QuestionnaireResponse",
      language: document.documentElement.lang || "da",
      questionnaire: text("questionnaire") || "Questionnaire/" + QUESTIONNAIRE,
      status: "completed",
      authored: isoDateTime(new Date()),
    };
    var items = [];
    components.forEach(function (comp) {
      var sub = responseItems(comp.items || [], values);
      if (sub.length) items.push({ linkId: comp.id, text: comp.title, item: sub });
    });
    if (items.length) r.item = items;
    return r;
  }

  // Answers from a visit file or a QuestionnaireResponse; null if it is neither.
  function parseVisit(raw) {
    var data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return null;
    }
    if (!data || typeof data !== "object") return null;
    if (data.format === FORMAT && data.answers && typeof data.answers === "object") {
      return { date: typeof data.date === "string" ? data.date : "", answers: data.answers };
    }
    if (data.resourceType === "QuestionnaireResponse") {
      var found = {};
      var walk = function (items) {
        (Array.isArray(items) ? items : []).forEach(function (it) {
          if (!it || typeof it !== "object") return;
          if (Array.isArray(it.answer) && it.answer.length) {
            var a = it.answer[0] || {};
            var v = a.valueString !== undefined ? a.valueString : a.valueCoding && a.valueCoding.code;
            if (v !== undefined) found[it.linkId] = v;
          }
          walk(it.item);
        });
      };
      walk(data.item);
      return { date: typeof data.authored === "string" ? data.authored.slice(0, 10) : "", answers: found };
    }
    return null;
  }

  function download(name, data, type) {
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: type });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
      a.remove();
    }, 1000);
  }

  function readFile(input, done) {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      input.value = "";
      done(parseVisit(String(reader.result)));
    };
    reader.onerror = function () {
      input.value = "";
      done(null);
    };
    reader.readAsText(file);
  }

  // ---- Update everything after a change --------------------------------------------------
  var noteBox = $("cl-note-box");
  var note = $("cl-note");
  function showNote(value) {
    noteBox.hidden = false;
    note.value = value;
    // As many rows as the note needs (wrapped lines too), up to 60.
    note.rows = 4;
    while (note.scrollHeight > note.clientHeight && note.rows < 60) note.rows += 1;
  }

  function update() {
    var values = answers();
    var today = isoDate(new Date());
    components.forEach(function (comp) {
      var p = counts[comp.id];
      if (!p) return;
      var n = comp.questions.filter(function (q) {
        return values[q.id] !== undefined;
      }).length;
      p.textContent = countText(n, comp.questions.length);
      p.hidden = false;
    });
    markPointers(values);
    renderSummary(values, today);
    renderRelevant(relevant(values));
    renderCompare(values);
    app.classList.toggle("cl-has-answers", count(values) > 0);
    if (note && noteBox && !noteBox.hidden) showNote(noteText(values, today));
    store(values);
    return values;
  }

  // ---- Controls --------------------------------------------------------------------------
  form.addEventListener("submit", function (e) {
    e.preventDefault();
  });
  form.addEventListener("change", function () {
    disarmReset();
    update();
  });

  var copyBtn = $("cl-copy");
  if (copyBtn) {
    copyBtn.addEventListener("click", function () {
      var value = noteText(answers(), isoDate(new Date()));
      showNote(value);
      var fallback = function () {
        var ok = false;
        note.focus();
        note.select();
        try {
          ok = document.execCommand("copy");
        } catch (e) {
          ok = false;
        }
        say(text(ok ? "msg-copied" : "msg-copy-failed"));
      };
      if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
        navigator.clipboard.writeText(value).then(function () {
          say(text("msg-copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
  }

  var printBtn = $("cl-print");
  if (printBtn) {
    printBtn.addEventListener("click", function () {
      update();
      window.print();
    });
  }

  // Reset asks first: the button turns into "Bekræft nulstilling"; leaving it cancels.
  var resetBtn = $("cl-reset");
  var resetArmed = false;
  function disarmReset() {
    if (!resetArmed || !resetBtn) return;
    resetArmed = false;
    resetBtn.textContent = text("reset");
    resetBtn.classList.remove("cl-armed");
  }
  if (resetBtn) {
    resetBtn.addEventListener("click", function () {
      if (!resetArmed) {
        resetArmed = true;
        resetBtn.textContent = text("reset-confirm");
        resetBtn.classList.add("cl-armed");
        say(text("msg-reset-ask"));
        return;
      }
      disarmReset();
      setAnswers({});
      update();
      say(text("msg-reset-done"));
    });
    resetBtn.addEventListener("blur", disarmReset);
  }

  var exportBtn = $("cl-export");
  if (exportBtn) {
    exportBtn.addEventListener("click", function () {
      var v = visit(update());
      download(QUESTIONNAIRE + "-" + v.date + ".json", v, "application/json");
      say(text("msg-exported"));
    });
  }
  var fhirBtn = $("cl-export-fhir");
  if (fhirBtn) {
    fhirBtn.addEventListener("click", function () {
      var r = questionnaireResponse(update());
      download(QUESTIONNAIRE + "-" + isoDate(new Date()) + ".fhir.json", r, "application/fhir+json");
      say(text("msg-exported-fhir"));
    });
  }

  function ignoredNote(n) {
    return n ? " " + n + " " + text("msg-ignored") : "";
  }

  var importInput = $("cl-import");
  if (importInput) {
    importInput.addEventListener("change", function () {
      readFile(importInput, function (v) {
        if (!v) {
          say(text("msg-import-failed"));
          return;
        }
        var c = clean(v.answers);
        disarmReset();
        setAnswers(c.answers);
        update();
        say(text("msg-imported") + ignoredNote(c.ignored));
      });
    });
  }

  var compareInput = $("cl-compare-file");
  if (compareInput && compareSection) {
    compareInput.addEventListener("change", function () {
      readFile(compareInput, function (v) {
        if (!v) {
          say(text("msg-import-failed"));
          return;
        }
        var c = clean(v.answers);
        previous = { date: v.date, answers: c.answers };
        compareSection.hidden = false;
        var values = update();
        say(text("msg-compared") + " " + changes(values) + " " + text("msg-changed") + ignoredNote(c.ignored));
      });
    });
    var closeBtn = $("cl-compare-close");
    if (closeBtn) {
      closeBtn.addEventListener("click", function () {
        previous = null;
        compareSection.hidden = true;
        compareBody.textContent = "";
        compareInput.focus();
        say(text("msg-compare-closed"));
      });
    }
  }

  if (saveBox) {
    saveBox.addEventListener("change", function () {
      if (saveBox.checked) {
        store(answers());
        if (saveBox.checked) say(text("msg-saving"));
      } else {
        forget();
        say(text("msg-not-saving"));
      }
    });
  }
  var forgetBtn = $("cl-forget");
  if (forgetBtn) {
    forgetBtn.addEventListener("click", function () {
      forget();
      if (saveBox) saveBox.checked = false;
      say(text("msg-forgotten"));
    });
  }

  // ---- Start: restore what was saved (only if the user chose to save), show the controls --
  // Without a saved visit the form starts empty, also on reload (a browser may refill a form
  // by itself); going back to the page keeps what the browser kept of it, so that following a
  // pointer to a section and coming back does not lose the answers of this consultation.
  var restored = false;
  var s = storage();
  var saved = null;
  try {
    saved = s ? s.getItem(KEY) : null;
  } catch (e) {
    saved = null;
  }
  var fromStore = saved ? parseVisit(saved) : null;
  if (fromStore) {
    setAnswers(clean(fromStore.answers).answers);
    if (saveBox) saveBox.checked = true;
    restored = true;
  } else {
    if (saveBox) saveBox.checked = false;
    var navType = "";
    try {
      var nav = window.performance.getEntriesByType("navigation")[0];
      navType = nav ? nav.type : "";
    } catch (e) {
      navType = "";
    }
    if (navType !== "back_forward") setAnswers({});
  }
  ["cl-jump", "cl-tools", "cl-summary", "cl-actions"].forEach(function (id) {
    var e = $(id);
    if (e) e.hidden = false;
  });
  app.classList.add("cl-js");
  update();
  if (restored) say(text("msg-restored"));
})();
