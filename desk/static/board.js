// The hall board: follows /board/events, shows the newest call very large, then chimes and
// plays the spoken call. Reconnects by itself (EventSource) when the desk server restarts.
(function () {
  "use strict";
  var body = document.body;
  var counterText = body.dataset.counterText;
  var waitingText = body.dataset.waitingText;
  var lastCall = document.getElementById("call").dataset.call || "";
  var audio = null;
  var queue = [];
  var playing = false;

  function counterLabel(n) { return counterText.replace("{n}", n); }

  function context() {
    if (!audio) {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return null; }
      audio = new Ctx();
    }
    if (audio.state === "suspended") {
      audio.resume();
      if (audio.state === "suspended") { document.getElementById("sound").hidden = false; }
    }
    return audio;
  }

  function chime(done) {
    var ctx = context();
    if (!ctx) { done(); return; }
    var now = ctx.currentTime;
    [[880, 0], [659, 0.45]].forEach(function (tone) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, now + tone[1]);
      gain.gain.exponentialRampToValueAtTime(0.4, now + tone[1] + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + tone[1] + 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + tone[1]);
      osc.stop(now + tone[1] + 1);
    });
    setTimeout(done, 1300);
  }

  function announce(call) {
    queue.push(call);
    if (!playing) { next(); }
  }

  function next() {
    var call = queue.shift();
    if (!call) { playing = false; return; }
    playing = true;
    chime(function () {
      var voice = new Audio("/board/call/" + call.id + ".wav");
      voice.onended = voice.onerror = next;
      var started = voice.play();
      if (started && started.catch) { started.catch(next); }
      body.dataset.announced = String(call.id);
    });
  }

  function show(board) {
    var calls = board.calls || [];
    var first = calls[0];
    var section = document.querySelector(".now");
    document.getElementById("call-ticket").textContent = first ? first.ticket : "";
    document.getElementById("call-counter").textContent = first ? counterLabel(first.counter) : "";
    document.getElementById("no-call").hidden = !!first;
    var recent = document.getElementById("recent");
    while (recent.firstChild) { recent.removeChild(recent.firstChild); }
    calls.slice(1, 6).forEach(function (c) {
      var li = document.createElement("li");
      var ticket = document.createElement("span");
      ticket.className = "ticket";
      ticket.textContent = c.ticket;
      var counter = document.createElement("span");
      counter.className = "counter";
      counter.textContent = counterLabel(c.counter);
      li.appendChild(ticket);
      li.appendChild(counter);
      recent.appendChild(li);
    });
    document.getElementById("waiting").textContent =
      waitingText.replace("{n}", board.waiting_count);
    var id = first ? String(first.id) : "";
    document.getElementById("call").dataset.call = id;
    if (id && id !== lastCall) {
      section.classList.remove("fresh");
      void section.offsetWidth;  // restart the blink
      section.classList.add("fresh");
      announce(first);
    }
    lastCall = id;
    body.dataset.shown = String(Date.now());
  }

  document.getElementById("sound").addEventListener("click", function () {
    context();
    document.getElementById("sound").hidden = true;
  });

  if (window.EventSource) {
    var source = new EventSource("/board/events");
    source.onopen = function () {
      document.getElementById("offline").hidden = true;
      body.dataset.live = "1";
    };
    source.onerror = function () {
      document.getElementById("offline").hidden = false;
      body.dataset.live = "0";
    };
    source.onmessage = function (e) { show(JSON.parse(e.data)); };
  }
  document.documentElement.dataset.ready = "1";
})();
