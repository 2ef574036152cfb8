// The recording studio: record a take in the browser, listen, record again, accept.
// The microphone goes through Web Audio (an AudioWorklet collects the samples); the take is
// made into a 16-bit PCM WAV here and sent only to this desk. No framework, no external files.
(function () {
  "use strict";
  var studio = document.getElementById("studio");
  if (!studio || !studio.dataset.pack) { return; }
  var csrf = studio.dataset.csrf;
  var pack = studio.dataset.pack;
  var byBox = document.getElementById("by");
  var live = null;  // the take being recorded: {row, context, stream, chunks, rate}

  function part(row, name) { return row.querySelector("." + name); }
  function show(row, names) {
    ["record", "stop", "take", "accept", "redo"].forEach(function (name) {
      part(row, name).hidden = names.indexOf(name) < 0;
    });
  }
  function note(row, text) { part(row, "take-note").textContent = text || ""; }

  function wav(chunks, rate) {
    var length = chunks.reduce(function (n, c) { return n + c.length; }, 0);
    var buffer = new ArrayBuffer(44 + 2 * length);
    var view = new DataView(buffer);
    function text(at, s) { for (var i = 0; i < s.length; i++) { view.setUint8(at + i, s.charCodeAt(i)); } }
    text(0, "RIFF"); view.setUint32(4, 36 + 2 * length, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true);
    view.setUint16(22, 1, true); view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, "data"); view.setUint32(40, 2 * length, true);
    var at = 44;
    chunks.forEach(function (chunk) {
      for (var i = 0; i < chunk.length; i++, at += 2) {
        var s = Math.max(-1, Math.min(1, chunk[i]));
        view.setInt16(at, s < 0 ? s * 32768 : s * 32767, true);
      }
    });
    return new Blob([buffer], { type: "audio/wav" });
  }

  function start(row) {
    if (live) { stop(live.row); }
    row.dataset.recordedSeconds = "0";
    row.dataset.state = "starting";
    if (!navigator.mediaDevices || !window.AudioWorkletNode) {
      note(row, studio.dataset.msgNoMic); return;
    }
    var constraints = { audio: { channelCount: 1, echoCancellation: false,
                                 noiseSuppression: false, autoGainControl: false } };
    navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      var context = new AudioContext();
      return context.audioWorklet.addModule("/static/studio-worklet.js").then(function () {
        var take = { row: row, context: context, stream: stream, chunks: [], rate: context.sampleRate };
        var source = context.createMediaStreamSource(stream);
        var node = new AudioWorkletNode(context, "take-recorder");
        var mute = context.createGain();
        mute.gain.value = 0;  // the worklet must reach the output to run; nothing is heard
        node.port.onmessage = function (event) {
          take.chunks.push(event.data);
          row.dataset.recordedSeconds = (take.chunks.length * 128 / take.rate).toFixed(2);
        };
        source.connect(node); node.connect(mute); mute.connect(context.destination);
        live = take;
        row.dataset.state = "recording";
        show(row, ["stop"]);
        note(row, studio.dataset.msgRecording);
        part(row, "stop").focus();
      });
    }).catch(function () { note(row, studio.dataset.msgNoMic); });
  }

  function stop(row) {
    var take = live;
    if (!take || take.row !== row) { return; }
    live = null;
    take.stream.getTracks().forEach(function (track) { track.stop(); });
    take.context.close();
    row.take = wav(take.chunks, take.rate);
    var audio = part(row, "take");
    if (audio.src) { URL.revokeObjectURL(audio.src); }
    audio.src = URL.createObjectURL(row.take);
    show(row, ["take", "accept", "redo"]);
    note(row, "");
    row.dataset.state = "taken";
    part(row, "accept").focus();
  }

  function accept(row) {
    if (!row.take) { return; }
    show(row, ["take"]);
    note(row, studio.dataset.msgSaving);
    row.dataset.state = "saving";
    var url = "/studio/clip?pack=" + encodeURIComponent(pack) + "&id=" + encodeURIComponent(row.dataset.clip);
    fetch(url, { method: "POST", credentials: "same-origin", body: row.take,
                 headers: { "Content-Type": "audio/wav", "X-CSRF-Token": csrf,
                            "X-Studio-By": encodeURIComponent(byBox ? byBox.value : "") } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (!json) { return { ok: false, message: studio.dataset.msgSignedOut }; }
        return response.json();
      })
      .then(function (result) {
        if (!result.ok) {
          note(row, result.message); show(row, ["take", "redo"]); row.dataset.state = "refused";
          return;
        }
        row.className = "clip recorded";
        row.querySelector(".state-words").textContent = result.status;
        row.querySelector(".mark").textContent = "✔";
        var stored = part(row, "stored");
        if (!stored) {
          stored = document.createElement("audio");
          stored.className = "stored"; stored.controls = true; stored.preload = "none";
          row.insertBefore(stored, part(row, "take-controls"));
        }
        stored.src = "/studio/clip.wav?pack=" + encodeURIComponent(pack) + "&id=" +
          encodeURIComponent(row.dataset.clip) + "&t=" + Date.now();
        note(row, ""); show(row, ["record"]);
        row.dataset.state = "saved";
      })
      .catch(function () { note(row, studio.dataset.msgSignedOut); show(row, ["take", "redo"]); });
  }

  document.querySelectorAll("li.clip").forEach(function (row) {
    part(row, "record").addEventListener("click", function () { start(row); });
    part(row, "stop").addEventListener("click", function () { stop(row); });
    part(row, "redo").addEventListener("click", function () { start(row); });
    part(row, "accept").addEventListener("click", function () { accept(row); });
  });
})();
