// Passes the microphone's samples (mono, the first channel) to the studio page, 128 at a time.
class TakeRecorder extends AudioWorkletProcessor {
  process(inputs) {
    var channel = inputs[0] && inputs[0][0];
    if (channel) { this.port.postMessage(channel.slice(0)); }
    return true;
  }
}
registerProcessor("take-recorder", TakeRecorder);
