// Print views: the "Print" button opens the browser's print dialogue. Kept out of the
// page so that the Content-Security-Policy needs no inline script.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
