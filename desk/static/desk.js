// The counter page's script: keep the scan box ready for the scanner, and keep the queue, the
// counters and the calls for staff up to date from the server's events (/events), which send
// only what changed. No framework, no external files. The page works without it (plain forms).
// Signals for tests and tools: <html data-ready="1"> once set up, data-live="1" while the
// event stream is open, data-version = the last version shown.
(function () {
  "use strict";
  var root = document.documentElement;
  var scan = document.getElementById("payload");

  // A keyboard-wedge scanner types into whatever has focus: unless staff are typing into a
  // text box, a printable key goes to the scan box before the first character lands.
  function typing(el) {
    if (!el || el === document.body) { return false; }
    var tag = el.tagName;
    return tag === "TEXTAREA" || (tag === "INPUT" && /^(text|password|search|number)$/i.test(el.type));
  }
  document.addEventListener("keydown", function (event) {
    if (scan && !typing(document.activeElement) && !event.ctrlKey && !event.altKey &&
        !event.metaKey && event.key.length === 1) {
      scan.focus();
    }
  }, true);
  if (scan) {
    window.addEventListener("focus", function () {
      if (!typing(document.activeElement)) { scan.focus(); }
    });
  }

  var queue = document.getElementById("queue");
  var help = document.getElementById("help");
  if (!queue || !window.EventSource) { root.dataset.ready = "1"; return; }

  var minutesText = queue.dataset.minutesText;
  var counterText = queue.dataset.counterText;
  var moreText = queue.dataset.moreText;
  var offset = Date.now() / 1000 - parseFloat(queue.dataset.now || "0");  // page clock - server
  var state = { waiting: {}, waitingOrder: [], at: {}, atOrder: [], count: 0, help: [] };

  // what the server drew, as the starting state
  Array.prototype.forEach.call(document.querySelectorAll("#waiting-rows tr"), function (tr) {
    var id = tr.dataset.id;
    state.waitingOrder.push(id);
    state.waiting[id] = { id: id, arrived: parseFloat(tr.dataset.arrived),
                          priority: tr.classList.contains("prio"), _tr: tr };
  });
  Array.prototype.forEach.call(document.querySelectorAll("#at-counters li"), function (li) {
    state.atOrder.push(li.dataset.id);
    state.at[li.dataset.id] = { id: li.dataset.id, _li: li };
  });
  state.count = parseInt(document.getElementById("waiting-count").textContent, 10) || 0;
  var knownHelp = {};
  Array.prototype.forEach.call(help ? help.querySelectorAll("[data-id]") : [], function (el) {
    knownHelp[el.dataset.id] = true;
  });

  function minutes(arrived) {
    var now = Date.now() / 1000 - offset;
    return minutesText.replace("{n}", Math.max(0, Math.floor((now - arrived) / 60)));
  }

  function cell(tr, className, text) {
    var td = document.createElement("td");
    td.className = className;
    if (text !== undefined) { td.textContent = text; }
    tr.appendChild(td);
    return td;
  }

  function waitingRow(row) {
    var tr = document.createElement("tr");
    tr.dataset.id = row.id;
    cell(tr, "n");
    var ticket = cell(tr, "ticket");
    var link = document.createElement("a");
    link.href = "/?case=" + row.id;
    link.textContent = row.ticket;
    ticket.appendChild(link);
    var proc = cell(tr, "proc", row.procedure);
    if (row.priority) {
      proc.appendChild(document.createElement("br"));
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "★ " + row.reason;
      proc.appendChild(badge);
    }
    cell(tr, "n nowrap minutes");
    cell(tr, "n passed", String(row.passed));
    return tr;
  }

  function counterItem(row) {
    var li = document.createElement("li");
    li.dataset.id = row.id;
    var link = document.createElement("a");
    link.href = "/?case=" + row.id;
    link.className = "ticket";
    link.textContent = row.ticket;
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    var where = document.createElement("span");
    where.className = "where";
    where.textContent = counterText.replace("{n}", row.counter) + " · " + row.status_label;
    li.appendChild(where);
    return li;
  }

  function merge(part, rows, order, make, key) {
    if (!part) { return order; }
    (part.gone || []).forEach(function (id) {
      var old = rows[String(id)];
      if (old && old[key] && old[key].parentNode) { old[key].parentNode.removeChild(old[key]); }
      delete rows[String(id)];
    });
    var fresh = [];
    (part.rows || []).forEach(function (row) {
      var id = String(row.id);
      var old = rows[id];
      if (!old) { fresh.push(id); }
      row[key] = make(row);
      if (old && old[key] && old[key].parentNode) { old[key].parentNode.replaceChild(row[key], old[key]); }
      rows[id] = row;
    });
    if (part.order) { return part.order.map(String); }
    return order.filter(function (id) { return rows[id]; }).concat(
      fresh.filter(function (id) { return order.indexOf(id) < 0; }));
  }

  function drawWaiting() {
    var body = document.getElementById("waiting-rows");
    state.waitingOrder.forEach(function (id, i) {
      var row = state.waiting[id];
      var tr = row._tr;
      tr.className = (row.priority ? "prio" : "normal") + (i === 0 ? " next" : "");
      tr.cells[0].textContent = String(i + 1);
      tr.cells[3].textContent = minutes(row.arrived);
      body.appendChild(tr);  // moves it into place
    });
    Array.prototype.forEach.call(body.querySelectorAll("tr"), function (tr) {
      if (!state.waiting[tr.dataset.id]) { body.removeChild(tr); }
    });
    var shown = state.waitingOrder.length;
    document.getElementById("waiting").hidden = shown === 0;
    document.getElementById("queue-empty").hidden = shown > 0;
    document.getElementById("waiting-count").textContent = String(state.count);
    var more = document.getElementById("queue-more");
    more.hidden = state.count <= shown;
    more.textContent = moreText.replace("{n}", state.count - shown);
  }

  function drawCounters() {
    var list = document.getElementById("at-counters");
    state.atOrder.forEach(function (id) { list.appendChild(state.at[id]._li); });
    Array.prototype.forEach.call(list.querySelectorAll("li"), function (li) {
      if (!state.at[li.dataset.id]) { list.removeChild(li); }
    });
    document.getElementById("at-counters-title").hidden = state.atOrder.length === 0;
  }

  function chime() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return; }
    try {
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 988;
      gain.gain.setValueAtTime(0.3, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.8);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.8);
    } catch (e) { /* no sound on this machine: the banner still shows */ }
  }

  function drawHelp(calls) {
    if (!help) { return; }
    var ring = false;
    while (help.firstChild) { help.removeChild(help.firstChild); }
    calls.forEach(function (call) {
      if (!knownHelp[call.id]) { ring = true; knownHelp[call.id] = true; }
      var box = document.createElement("div");
      box.className = "alert help";
      box.setAttribute("role", "alert");
      box.dataset.id = call.id;
      var icon = document.createElement("span");
      icon.className = "icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "☎";
      var text = document.createElement("div");
      var title = document.createElement("p");
      title.className = "alert-title";
      title.textContent = help.dataset.titleText;
      var line = document.createElement("p");
      line.className = "help-text";
      line.textContent = call.text;
      text.appendChild(title);
      text.appendChild(line);
      var form = document.createElement("form");
      form.method = "post";
      form.action = "/help/" + call.id + "/take";
      form.className = "inline";
      var csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrf";
      csrf.value = help.dataset.csrf;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "primary big take";
      button.textContent = help.dataset.takeText;
      form.appendChild(csrf);
      form.appendChild(button);
      box.appendChild(icon);
      box.appendChild(text);
      box.appendChild(form);
      help.appendChild(box);
    });
    if (ring) { chime(); }
  }

  function apply(change) {
    if (change.full) {
      state.waiting = {};
      state.at = {};
      ["waiting-rows", "at-counters"].forEach(function (id) {
        var holder = document.getElementById(id);
        while (holder.firstChild) { holder.removeChild(holder.firstChild); }
      });
      change = {
        waiting: { rows: change.full.waiting, order: change.full.waiting.map(function (r) { return r.id; }) },
        at_counters: { rows: change.full.at_counters, order: change.full.at_counters.map(function (r) { return r.id; }) },
        waiting_count: change.full.waiting_count,
        help: change.full.help
      };
    }
    state.waitingOrder = merge(change.waiting, state.waiting, state.waitingOrder, waitingRow, "_tr");
    state.atOrder = merge(change.at_counters, state.at, state.atOrder, counterItem, "_li");
    if (change.waiting_count !== undefined) { state.count = change.waiting_count; }
    drawWaiting();
    drawCounters();
    if (change.help) { drawHelp(change.help); }
  }

  var source = new EventSource("/events?v=" + encodeURIComponent(queue.dataset.version || "0"));
  source.onopen = function () { root.dataset.live = "1"; };
  source.onerror = function () { root.dataset.live = "0"; };
  source.onmessage = function (e) {
    apply(JSON.parse(e.data));
    if (e.lastEventId) { root.dataset.version = e.lastEventId; }
  };
  source.addEventListener("ended", function () {
    source.close();
    root.dataset.live = "ended";
    document.getElementById("session-ended").hidden = false;
  });
  // the minutes waited move on by themselves
  setInterval(function () {
    state.waitingOrder.forEach(function (id) {
      var row = state.waiting[id];
      row._tr.cells[3].textContent = minutes(row.arrived);
    });
  }, 30000);
  root.dataset.ready = "1";
})();
