// annals: the small scripts of the pages. No inline handlers anywhere (CSP script-src
// 'self'): everything is attached here with addEventListener.
"use strict";

(function () {
  // The interface's words for the scripts, in the page's language: the `js_` labels of
  // data/ui, put by the server in the body's data-ui-text (JSON).
  var UI = (function () {
    try { return JSON.parse(document.body.dataset.uiText || "{}"); } catch (e) { return {}; }
  })();
  /** The label `key` (its English words as the fallback), with {name} holes filled. */
  function M(key, fallback, values) {
    var s = UI["js_" + key] || fallback;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }

  // ---------------------------------------------------------------------------------
  // Curation: the one place that knows the decision's JSON shape (crate::curation::
  // NewDecision) and the endpoint.
  // ---------------------------------------------------------------------------------
  var CURATION_ENDPOINT = "/api/curation";
  var TOKEN_KEY = "annals-token";
  var WHO_KEY = "annals-who";

  /** A typed value from what was typed in the "new value" box, for `field`. */
  function parseValue(field, raw) {
    var s = raw.trim();
    if (field === "participants") {
      return s.split(",").map(function (x) { return x.trim(); }).filter(Boolean);
    }
    if (["value", "number", "scale", "confidence"].indexOf(field) >= 0 && s !== "" && !isNaN(Number(s))) {
      return Number(s);
    }
    if (s === "null") { return null; }
    if (/^[\[{]/.test(s)) {
      try { return JSON.parse(s); } catch (e) { /* keep the text */ }
    }
    return s;
  }

  /**
   * The decision the form describes, as `POST /api/curation` takes it:
   * {action, target: {event: ID} | {fact: ID}, field?, value?, with?, statement?, reason, who}.
   */
  function buildDecision(form) {
    var q = function (sel) { return form.querySelector(sel); };
    var action = q("#cur-action").value;
    var target = form.dataset.target;
    var d = {
      action: action,
      target: form.dataset.targetKind === "event" ? { event: target } : { fact: Number(target) },
      reason: q("#cur-reason").value.trim(),
      who: (q("#cur-who") ? q("#cur-who").value.trim() : "")
    };
    if (action === "edit") {
      d.field = q("#cur-field").value;
      // A field with a list of choices (an event's type or field) takes the one chosen.
      var choice = form.querySelector('select.cur-choice[data-for="' + d.field + '"]');
      d.value = choice ? choice.value : parseValue(d.field, q("#cur-value").value);
    } else if (action === "merge") {
      d["with"] = q("#cur-merge-with").value.split(/[\s,]+/).filter(Boolean);
    } else if (action === "split") {
      d.statement = { fact: Number(q("#cur-statement").value) };
    }
    return d;
  }

  /** Sends a decision; resolves to {ok, status, body}. */
  function postDecision(decision, token) {
    return fetch(CURATION_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token },
      body: JSON.stringify(decision)
    }).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = JSON.parse(t); } catch (e) { body = t; }
        return { ok: r.ok, status: r.status, body: body };
      });
    });
  }

  function reasonOf(res) {
    var b = res.body;
    if (b && b.error && b.error.reason) { return b.error.reason; }
    if (typeof b === "string" && b) { return b; }
    return "HTTP " + res.status;
  }

  function show(out, cls, text) {
    out.className = cls;
    out.textContent = text;
  }

  function setupCurationForm(form) {
    var out = form.querySelector("#curation-result");
    var token = form.querySelector("#token");
    var who = form.querySelector("#cur-who");
    var action = form.querySelector("#cur-action");
    var field = form.querySelector("#cur-field");
    var value = form.querySelector("#cur-value");
    try {
      if (token) { token.value = localStorage.getItem(TOKEN_KEY) || ""; }
      if (who) { who.value = localStorage.getItem(WHO_KEY) || ""; }
    } catch (e) { /* storage may be off */ }
    if (token) {
      token.addEventListener("change", function () {
        try { localStorage.setItem(TOKEN_KEY, token.value.trim()); } catch (e) { /* ignore */ }
      });
    }
    if (who) {
      who.addEventListener("change", function () {
        try { localStorage.setItem(WHO_KEY, who.value.trim()); } catch (e) { /* ignore */ }
      });
    }
    var sync = function () { form.dataset.action = action.value; };
    action.addEventListener("change", sync);
    sync();
    if (field && value && form.dataset.targetKind === "event") {
      var syncField = function () {
        var cur = form.dataset["current" + field.value.charAt(0).toUpperCase() + field.value.slice(1)];
        var chosen = false;
        form.querySelectorAll("select.cur-choice").forEach(function (s) {
          var on = s.dataset["for"] === field.value;
          s.closest("label").hidden = !on;
          if (on) { s.value = cur || s.value; chosen = true; }
        });
        value.closest("label").hidden = chosen;
        value.value = cur || "";
        // Participants are names: offer the entities annals knows.
        if (field.value === "participants") { value.setAttribute("list", "cur-entities"); }
        else { value.removeAttribute("list"); }
      };
      field.addEventListener("change", syncField);
      syncField();
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var d = buildDecision(form);
      var tok = token ? token.value.trim() : "";
      if (!form.dataset.target) { show(out, "failed", M("select_fact", "Select a fact first.")); return; }
      if (!d.reason) { show(out, "failed", M("reason_required", "A reason is required.")); return; }
      if (!d.who) { show(out, "failed", M("give_name", "Give your name: every decision says who made it.")); return; }
      if (!tok) { show(out, "failed", M("token_required", "The write token is required (printed by `annals serve`).")); return; }
      try { localStorage.setItem(TOKEN_KEY, tok); localStorage.setItem(WHO_KEY, d.who); } catch (e) { /* ignore */ }
      show(out, "", M("recording", "Recording…"));
      postDecision(d, tok).then(function (res) {
        if (res.ok) {
          var n = res.body && res.body.id ? res.body.id : 0;
          show(out, "ok", M("recorded", "Recorded {n}. Updating the view…", { n: n ? "#" + n : "" }));
          // The decision is committed; the view shows it once rebuilt (moments later): wait
          // for the view to reach it, then reload (at most 30 s).
          var reload = function () {
            // In the reader, come back to the fact decided on.
            if (form.dataset.targetKind === "fact" && form.dataset.target) {
              history.replaceState(null, "", location.pathname + location.search + "#f-" + form.dataset.target);
            }
            location.reload();
          };
          var deadline = Date.now() + 30000;
          var wait = function () {
            fetch("/api/status", { headers: { "Accept": "application/json" } })
              .then(function (r) { return r.json(); })
              .then(function (st) {
                if ((st.curation_version || 0) >= n || Date.now() > deadline) { reload(); }
                else { setTimeout(wait, 200); }
              })
              .catch(function () {
                if (Date.now() > deadline) { reload(); } else { setTimeout(wait, 500); }
              });
          };
          wait();
        } else if (res.status === 401 || res.status === 403) {
          show(out, "failed", M("token_refused", "The token was refused:") + " " + reasonOf(res));
        } else {
          show(out, "failed", M("not_recorded", "Not recorded:") + " " + reasonOf(res));
        }
      }).catch(function (e) {
        show(out, "failed", M("not_recorded", "Not recorded:") + " " + e);
      });
    });
  }

  // ---------------------------------------------------------------------------------
  // Retracting (undoing) a recorded decision: a small form beside it.
  // ---------------------------------------------------------------------------------
  function stored(key) {
    try { return localStorage.getItem(key) || ""; } catch (e) { return ""; }
  }

  function setupRetractForm(form) {
    var out = form.querySelector("output");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var reason = form.querySelector("input[name=reason]").value.trim();
      var tokenBox = document.getElementById("token");
      var whoBox = document.getElementById("cur-who");
      var tok = (tokenBox && tokenBox.value.trim()) || stored(TOKEN_KEY);
      var who = (whoBox && whoBox.value.trim()) || stored(WHO_KEY);
      if (!reason) { show(out, "failed", M("reason_required", "A reason is required.")); return; }
      if (!who || !tok) {
        show(out, "failed", M("give_name_token_anywhere", "Give your name and the write token (in the form on this page, or once in any curation form)."));
        return;
      }
      var d = { action: "retract", target: { audit: Number(form.dataset.audit) }, reason: reason, who: who };
      show(out, "", M("retracting", "Retracting…"));
      postDecision(d, tok).then(function (res) {
        if (res.ok) {
          try { localStorage.setItem(TOKEN_KEY, tok); localStorage.setItem(WHO_KEY, who); } catch (e) { /* ignore */ }
          show(out, "ok", M("retracted", "Retracted (#{n}). Updating…", { n: res.body && res.body.id }));
          setTimeout(function () { location.reload(); }, 800);
        } else {
          show(out, "failed", M("not_retracted", "Not retracted:") + " " + reasonOf(res));
        }
      }).catch(function (e) { show(out, "failed", M("not_retracted", "Not retracted:") + " " + e); });
    });
  }

  /** Reloads once the view shows audit entry `n` (at most 30 s). */
  function reloadWhenShown(n) {
    var deadline = Date.now() + 30000;
    var wait = function () {
      fetch("/api/status").then(function (r) { return r.json(); }).then(function (st) {
        if ((st.curation_version || 0) >= n || Date.now() > deadline) { location.reload(); }
        else { setTimeout(wait, 200); }
      }).catch(function () { setTimeout(wait, 500); });
    };
    wait();
  }

  /** The form that corrects one part of a source's citation. */
  function setupCiteForm(form) {
    var out = form.querySelector("output");
    var q = function (n) { return form.querySelector("[name=" + n + "]"); };
    q("who").value = stored(WHO_KEY);
    q("token").value = stored(TOKEN_KEY);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var raw = q("value").value.trim();
      var d = {
        action: "edit", target: { document: form.dataset.doc }, field: q("field").value,
        value: raw === "" ? null : raw, reason: q("reason").value.trim(), who: q("who").value.trim()
      };
      var tok = q("token").value.trim();
      if (!d.reason) { show(out, "failed", M("reason_required", "A reason is required.")); return; }
      if (!d.who || !tok) { show(out, "failed", M("give_name_token", "Give your name and the write token.")); return; }
      show(out, "", M("recording", "Recording…"));
      postDecision(d, tok).then(function (res) {
        if (res.ok) {
          try { localStorage.setItem(TOKEN_KEY, tok); localStorage.setItem(WHO_KEY, d.who); } catch (e) { /* ignore */ }
          show(out, "ok", M("recorded", "Recorded {n}. Updating the view…", { n: "#" + (res.body && res.body.id) }));
          reloadWhenShown(res.body && res.body.id || 0);
        } else {
          show(out, "failed", M("not_recorded", "Not recorded:") + " " + reasonOf(res));
        }
      }).catch(function (e) { show(out, "failed", M("not_recorded", "Not recorded:") + " " + e); });
    });
  }

  // ---------------------------------------------------------------------------------
  // The reader: toggles, clicks on facts, the fact panel.
  // ---------------------------------------------------------------------------------
  var FIELDS = {
    timex: ["date", "value_start", "value_end", "type"],
    duration: ["duration"],
    quantity: ["value", "number", "unit", "scale", "measure"],
    mention: ["entity"],
    event: ["date", "participants", "type", "field"]
  };

  function isHidden(text, el) {
    return text.classList.contains("hide-" + el.dataset.kind);
  }

  /** The innermost visible fact at the element clicked. */
  function factAt(text, node) {
    var el = node && node.closest ? node.closest(".fact") : null;
    while (el && isHidden(text, el)) {
      el = el.parentElement ? el.parentElement.closest(".fact") : null;
    }
    return el && text.contains(el) ? el : null;
  }

  function selectFact(el) {
    var id = el.dataset.fact;
    document.querySelectorAll(".fact.selected").forEach(function (x) { x.classList.remove("selected"); });
    var pieces = document.querySelectorAll('.fact[data-fact="' + CSS.escape(id) + '"]');
    var text = "";
    pieces.forEach(function (p) { p.classList.add("selected"); text += p.textContent; });
    var detail = document.getElementById("fact-detail");
    if (detail) {
      detail.className = "";
      detail.textContent = "";
      var q = document.createElement("p");
      q.className = "fact-text";
      q.textContent = "“" + text.replace(/\s+/g, " ").trim() + "”";
      detail.appendChild(q);
      var dl = document.createElement("dl");
      var add = function (k, v) {
        if (!v) { return; }
        var dt = document.createElement("dt"); dt.textContent = k;
        var dd = document.createElement("dd"); dd.textContent = v;
        dl.appendChild(dt); dl.appendChild(dd);
      };
      add(M("kind", "kind"), M("kind_" + el.dataset.kind, el.dataset.kind));
      add(M("value", "value"), el.dataset.value);
      add(M("about", "about"), el.getAttribute("title"));
      add(M("bytes", "bytes"), el.dataset.start + "–" + el.dataset.end);
      add(M("fact", "fact"), "#" + id);
      add(M("curation", "curation"), el.dataset.curation);
      add(M("machine", "machine's value"), el.dataset.machine);
      detail.appendChild(dl);
      if (el.dataset.href) {
        var a = document.createElement("a");
        a.href = el.dataset.href;
        a.className = "open-fact";
        a.textContent = el.dataset.kind === "mention" ? M("open_entity", "Open the entity →") : M("open_event", "Open the event →");
        detail.appendChild(a);
      }
    }
    var form = document.getElementById("curation-form");
    if (form && form.dataset.targetKind === "fact") {
      form.dataset.target = id;
      form.hidden = false;
      var field = form.querySelector("#cur-field");
      if (field) {
        field.textContent = "";
        (FIELDS[el.dataset.kind] || ["value"]).forEach(function (f) {
          var o = document.createElement("option");
          o.value = f; o.textContent = M("field_" + f, f);
          field.appendChild(o);
        });
      }
      var value = form.querySelector("#cur-value");
      if (value) { value.value = el.dataset.value || ""; }
    }
  }

  function setupReader(text) {
    document.querySelectorAll("input.toggle[data-kind]").forEach(function (box) {
      var apply = function () {
        text.classList.toggle("hide-" + box.dataset.kind, !box.checked);
        // A hidden layer's facts leave the Tab order; a shown one's join it.
        text.querySelectorAll('.fact[tabindex][data-kind="' + box.dataset.kind + '"]').forEach(function (el) {
          el.tabIndex = box.checked ? 0 : -1;
        });
      };
      box.addEventListener("change", apply);
      apply();
    });
    var curate = document.getElementById("curate-mode");
    if (curate) {
      try { curate.checked = sessionStorage.getItem("annals-curate") === "1"; } catch (e) { /* ignore */ }
      curate.addEventListener("change", function () {
        try { sessionStorage.setItem("annals-curate", curate.checked ? "1" : "0"); } catch (e) { /* ignore */ }
      });
    }
    // Keyboard: a fact takes the focus (Tab) and Enter or Space acts as a click.
    text.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" && ev.key !== " ") { return; }
      var el = factAt(text, ev.target);
      if (!el) { return; }
      ev.preventDefault();
      el.click();
    });
    text.addEventListener("click", function (ev) {
      var el = factAt(text, ev.target);
      if (!el) { return; }
      var selecting = (curate && curate.checked) || !el.dataset.href;
      if (selecting) {
        ev.preventDefault();
        selectFact(el);
      } else if (ev.ctrlKey || ev.metaKey) {
        window.open(el.dataset.href, "_blank");
      } else {
        location.href = el.dataset.href;
      }
    });
    var target = document.getElementById("target");
    var hashed = /^#f-\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
    if (hashed) {
      if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
      hashed.scrollIntoView({ block: "center" });
      selectFact(hashed);
    } else if (target) {
      target.scrollIntoView({ block: "center" });
    }
  }

  // ---------------------------------------------------------------------------------
  // Home: follow a running ingest.
  // ---------------------------------------------------------------------------------
  function followIngest(box) {
    var tick = function () {
      fetch("/api/status").then(function (r) { return r.json(); }).then(function (s) {
        var i = s.ingest || {};
        var set = function (sel, v) { var e = box.querySelector(sel); if (e) { e.textContent = v; } };
        set(".ingest-done", i.files_done);
        set(".ingest-total", i.files_total);
        set(".ingest-last", i.last || "");
        var p = box.querySelector("progress");
        if (p && i.files_total) { p.value = Math.round(100 * i.files_done / i.files_total); }
        if (i.state === "running") { setTimeout(tick, 2000); } else { location.reload(); }
      }).catch(function () { setTimeout(tick, 5000); });
    };
    setTimeout(tick, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("curation-form");
    if (form) { setupCurationForm(form); }
    var text = document.getElementById("source-text");
    if (text) { setupReader(text); }
    document.querySelectorAll("form.retract-form").forEach(setupRetractForm);
    document.querySelectorAll("form.cite-form").forEach(setupCiteForm);
    var auth = document.getElementById("audit-auth");
    if (auth) {
      auth.querySelector("#token").value = stored(TOKEN_KEY);
      auth.querySelector("#cur-who").value = stored(WHO_KEY);
      auth.addEventListener("submit", function (ev) { ev.preventDefault(); });
    }
    var ingest = document.querySelector('#ingest[data-state="running"]');
    if (ingest) { followIngest(ingest); }
  });

  // For tests and the console.
  window.annals = { buildDecision: buildDecision, postDecision: postDecision, parseValue: parseValue };
})();
