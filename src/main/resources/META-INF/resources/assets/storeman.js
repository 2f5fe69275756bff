// Storeman account pages: the "Copy" buttons. Everything works without this script; it only saves typing.
document.addEventListener('click', function (event) {
  var button = event.target.closest('button[data-copy]');
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute('data-copy'));
  var status = document.querySelector('.copy-status');
  if (!source) {
    return;
  }
  var text = source.textContent.trim();
  var done = function (message) {
    if (status) {
      status.textContent = message;
    }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () {
      done('Copied to the clipboard.');
    }, function () {
      selectText(source);
      done('Press Ctrl+C (or Cmd+C) to copy the selected text.');
    });
  } else {
    selectText(source);
    done('Press Ctrl+C (or Cmd+C) to copy the selected text.');
  }
});

function selectText(element) {
  var range = document.createRange();
  range.selectNodeContents(element);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

// A secret is shown once (docs/security.md D11): leaving the page removes it, so that the browser's back-forward
// cache cannot bring it back.
window.addEventListener('pagehide', function () {
  document.querySelectorAll('[data-shown-once]').forEach(function (element) {
    var card = element.closest('.new-secret');
    (card || element).remove();
  });
});
