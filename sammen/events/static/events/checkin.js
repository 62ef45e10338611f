/*
 * The check-in desk: scan a ticket's QR code with the device camera.
 *
 * Progressive enhancement. The page works without this file (search by name, or type the code).
 * Where the browser has BarcodeDetector with QR codes and a camera, the "Scan the QR code" button
 * is shown; a code found fills the ticket-code field and sends its form, exactly as if typed. The
 * texts come from data- attributes the server translated. No library.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-checkin-scanner]");
  var form = document.getElementById("checkin-code-form");
  if (!box || !form || !("BarcodeDetector" in window)) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var input = form.querySelector("input[name=code]");
  var start = box.querySelector("[data-scan-start]");
  var stop = box.querySelector("[data-scan-stop]");
  var status = box.querySelector("[data-scan-status]");
  var video = box.querySelector("[data-scan-video]");
  var stream = null;
  var detector = null;
  var busy = false;

  function say(key) {
    status.textContent = box.getAttribute("data-" + key) || "";
  }

  function halt() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function look() {
    if (!stream) return;
    if (busy || video.readyState < 2) {
      window.requestAnimationFrame(look);
      return;
    }
    busy = true;
    detector.detect(video).then(function (codes) {
      busy = false;
      var found = codes.length ? (codes[0].rawValue || "").trim() : "";
      if (!found) {
        window.setTimeout(look, 150);
        return;
      }
      say("found");
      halt();
      input.value = found;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }, function () {
      busy = false;
      window.setTimeout(look, 300);
    });
  }

  function begin() {
    say("starting");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        return video.play();
      })
      .then(function () {
        say("scanning");
        look();
      })
      .catch(function () {
        halt();
        say("failed");
        input.focus();
      });
  }

  Promise.resolve(
    window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : []
  ).then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    navigator.mediaDevices.enumerateDevices().then(function (devices) {
      var camera = devices.some(function (device) { return device.kind === "videoinput"; });
      if (!camera) return;
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      box.hidden = false;
      start.addEventListener("click", begin);
      stop.addEventListener("click", function () {
        halt();
        status.textContent = "";
        start.focus();
      });
      window.addEventListener("pagehide", halt);
    });
  }).catch(function () { /* no scanner: the typed code still works */ });
})();
