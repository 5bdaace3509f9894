// Enhancements only: every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A document page: clicking a highlighted passage shows its claims beside the text.
  var panel = document.getElementById("panel");
  if (panel) {
    document.querySelectorAll("a.cite").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var card = document.getElementById("passage-" + link.dataset.passage);
        if (!card) { return; }
        event.preventDefault();
        document.querySelectorAll("a.cite.active").forEach(function (other) { other.classList.remove("active"); });
        document.querySelectorAll('a.cite[data-passage="' + link.dataset.passage + '"]').forEach(function (same) {
          same.classList.add("active");
        });
        panel.replaceChildren(card.cloneNode(true));
        panel.firstChild.removeAttribute("id");
        panel.hidden = false;
        history.replaceState(null, "", "#passage-" + link.dataset.passage);
      });
    });
  }
  // The names page of a static site: filter the list as you type.
  var filter = document.getElementById("names-filter");
  if (filter) {
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var wanted = filter.value.toLowerCase();
      document.querySelectorAll("#names li").forEach(function (item) {
        item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) < 0;
      });
    });
  }
});
