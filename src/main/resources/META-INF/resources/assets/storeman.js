// Storeman account pages: the "Copy" buttons and the top bar's e-mail tooltip. Everything works without this
// script; it only saves typing and hovering.
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

// The top bar's e-mail: when the bar has cut it short, its whole text as a tooltip; when it shows whole, none.
function titleCutEmail() {
  var who = document.querySelector('.who');
  var email = who && who.querySelector('.who-email');
  if (!email) {
    return;
  }
  if (who.scrollWidth > who.clientWidth) {
    who.title = email.textContent;
  } else {
    who.removeAttribute('title');
  }
}
titleCutEmail();
window.addEventListener('load', titleCutEmail);
window.addEventListener('resize', titleCutEmail);

// A secret is shown once (docs/security.md D11): leaving the page removes it, so that the browser's back-forward
// cache cannot bring it back.
window.addEventListener('pagehide', function () {
  document.querySelectorAll('[data-shown-once]').forEach(function (element) {
    var card = element.closest('.new-secret');
    (card || element).remove();
  });
});
