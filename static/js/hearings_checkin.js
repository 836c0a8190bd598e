// Check-in page: scan a registration QR code with the phone camera where the browser
// offers BarcodeDetector; typing the code always works without it.
(function () {
  "use strict";
  var box = document.getElementById("checkin-scanner");
  var form = document.getElementById("checkin-form");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  box.hidden = false;
  var button = document.getElementById("checkin-scan");
  var video = document.getElementById("checkin-video");
  var input = form.querySelector("input[name=code]");
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var stop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          video.hidden = true;
        };
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop();
              input.value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(tick);
            }
          }).catch(function () { window.requestAnimationFrame(tick); });
        };
        tick();
      })
      .catch(function () { box.hidden = true; });
  });
})();
